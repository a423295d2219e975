#!/bin/sh
# embed.sh NAME < file > name.h : a file as a C string constant.
name=$1
printf 'static const char %s[] =\n' "$name"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$/\\n"/'
printf ';\n'
