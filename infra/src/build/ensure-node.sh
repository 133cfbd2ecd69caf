#!/usr/bin/env bash
# Makes DIR/bin/node a Node.js for jsii (CDK synthesis): the node on the PATH when there is one, else the
# node-linux-<arch> package VERSION from the npm registry (its tarball holds bin/node).
# Usage: ensure-node.sh DIR VERSION
set -euo pipefail

dir=${1:?usage: ensure-node.sh DIR VERSION}
version=${2:?usage: ensure-node.sh DIR VERSION}
mkdir -p "$dir/bin"

if [ -x "$dir/bin/node" ] && "$dir/bin/node" --version >/dev/null 2>&1; then
    exit 0
fi

if path_node=$(command -v node); then
    ln -sf "$path_node" "$dir/bin/node"
    echo "jsii uses node from the PATH: $path_node ($("$path_node" --version))"
    exit 0
fi

case "$(uname -m)" in
    x86_64 | amd64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "no node on the PATH and no node-linux package for $(uname -m): install Node.js 20" >&2; exit 1 ;;
esac
url="https://registry.npmjs.org/node-linux-$arch/-/node-linux-$arch-$version.tgz"
echo "no node on the PATH: installing $url into $dir"
tgz="$dir/node.tgz"
if command -v curl >/dev/null; then
    curl -fsSL --retry 3 -o "$tgz" "$url"
else
    wget -q -O "$tgz" "$url"
fi
tar -xzf "$tgz" -C "$dir" --strip-components=1 package/bin/node
rm -f "$tgz"
chmod +x "$dir/bin/node"
echo "jsii uses $dir/bin/node ($("$dir/bin/node" --version))"
