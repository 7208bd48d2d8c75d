# cmake/strip-line-comments.cmake: copies a JavaScript file without its whole-line // comments (cmake -DIN=... -DOUT=... -P).
#
# For the embeddable module's fcnet-api.js, which ships unminified: the comments stay in the
# source; fcnet.js is 0.8 KB smaller gzipped without them (docs/embed.md, its size). Only lines
# whose first non-blank characters are // go; a // after code stays, as do the blank lines.
file(READ "${IN}" text)
string(REGEX REPLACE "(^|\n)[ \t]*//[^\n]*" "" text "${text}")
file(WRITE "${OUT}" "${text}")
