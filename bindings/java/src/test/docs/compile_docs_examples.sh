#!/usr/bin/env bash
# Compiles every ```java block of a Markdown guide (docs/sdk.md) against the binding's jar,
# with stand-ins for the Android classes the examples use (../android-api), so the guide's
# Java keeps compiling as the binding changes. Each block is one compilation unit.
#   compile_docs_examples.sh JAVAC JAR GUIDE.md
set -euo pipefail
javac=$1 jar=$2 guide=$3
android_api=$(cd "$(dirname "$0")/../android-api" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

awk -v dir="$work" '
  /^```java[[:space:]]*$/ { n++; file = sprintf("%s/block%02d.java", dir, n); inside = 1; next }
  /^```[[:space:]]*$/ && inside { inside = 0; close(file); next }
  inside { print > file }
' "$guide"
blocks=("$work"/block*.java)
[[ -e ${blocks[0]} ]] || { echo "no java blocks in $guide" >&2; exit 1; }

# javac wants each public type in a file of its own name.
mkdir "$work/src"
for block in "${blocks[@]}"; do
  name=$(grep -oE '^public (final |abstract )?(class|interface|enum) [A-Za-z0-9_]+' "$block" |
    head -1 | awk '{print $NF}')
  [[ -n $name ]] || { echo "a java block of $guide declares no public type:" >&2; cat "$block" >&2; exit 1; }
  cp "$block" "$work/src/$name.java"
done
mapfile -t android_api_sources < <(find "$android_api" -name '*.java')
# Java 8's library, like the binding's: an example must not use what an Android 8 device lacks.
"$javac" --release 8 -Xlint:all -Xlint:-options -Werror -encoding UTF-8 -d "$work/classes" -cp "$jar" \
  "${android_api_sources[@]}" "$work"/src/*.java
echo "compiled the ${#blocks[@]} Java blocks of $guide"
