#!/usr/bin/env bash
# Fails (listing the files) when a tracked C/C++ file differs from what clang-format makes of it
# (.clang-format at the root). `clang-format -i FILE` fixes one.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files '*.cpp' '*.h' '*.c')
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/dynemo-format.$$; then
  grep -o '^[^:]*\.\(cpp\|h\|c\):' /tmp/dynemo-format.$$ | sort -u | sed 's/:$//; s/^/not formatted: /' >&2
  rm -f /tmp/dynemo-format.$$
  echo "check-format: run clang-format -i on the files above" >&2
  exit 1
fi
rm -f /tmp/dynemo-format.$$
echo "check-format: ${#files[@]} files follow .clang-format"
