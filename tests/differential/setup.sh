#!/bin/sh
# Prepares the oracle: Obsidian Tasks 8.3.0's own task and query code, bundled with our entry
# (oracle.mjs) and our stub of the `obsidian` module, into one node script outside the project tree.
#   $FOLLOWUP_DIFFERENTIAL_DIR  scratch folder (default /tmp/followup-differential)
#   $TASKS_REPO                 bare git repo of obsidian-tasks holding the 8.3.0 tag
# Tasks' code is copied into the scratch folder only; it never enters this repository.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${FOLLOWUP_DIFFERENTIAL_DIR:-/tmp/followup-differential}
repo=${TASKS_REPO:-/work/.mirror/obsidian-tasks-group+obsidian-tasks/repo}
tag=8.3.0

mkdir -p "$dir"
if [ ! -f "$dir/tasks/.extracted-$tag" ]; then
	rm -rf "$dir/tasks"
	mkdir -p "$dir/tasks"
	git -C "$repo" archive "$tag" src package.json tsconfig.json | tar -x -C "$dir/tasks"
	touch "$dir/tasks/.extracted-$tag"
fi

# Only what the bundled code imports at run time (Tasks' dependencies at the versions its
# package.json pins), esbuild to bundle, and the Markdown parser that stands in for Obsidian's
# metadata cache. Not `npm ci`: Tasks' dev tools (jest, svelte, eslint) are not needed.
deps="esbuild@0.28.1 moment@^2.29.4 chrono-node@2.3.9 rrule@^2.8.1 boon-js@^2.0.5 mustache@^4.2.0
 mustache-validator@^0.2.0 eventemitter2@^6.4.5 i18next@^24.2.1 safe-regex2@^5.1.1 async-mutex@^0.5.0
 tslib@^2.8.1 mdast-util-from-markdown@^2
 micromark-extension-gfm-footnote@^2 mdast-util-gfm-footnote@^2 yaml@^2"
if [ ! -f "$dir/node_modules/.installed" ]; then
	cd "$dir"
	[ -f package.json ] || printf '{"name":"followup-differential","private":true,"type":"module"}\n' >package.json
	# shellcheck disable=SC2086
	npm install --no-audit --no-fund --loglevel=error $deps
	touch node_modules/.installed
fi

cd "$dir"
cp "$here/oracle.mjs" "$dir/oracle-entry.mjs"
cp "$here/obsidian-stub.js" "$dir/obsidian-stub.js"
# Tasks imports '../../src/...' style paths relative to its tree; the entry imports from ./tasks/src.
"$dir/node_modules/.bin/esbuild" "$dir/oracle-entry.mjs" --bundle --platform=node --format=esm \
	--alias:obsidian="$dir/obsidian-stub.js" --log-level=warning \
	--loader:.svelte=empty --loader:.css=empty --loader:.scss=empty \
	--banner:js="import { createRequire as __oracleRequire } from 'module'; const require = __oracleRequire(import.meta.url);" \
	--outfile="$dir/oracle.bundle.mjs"
echo "oracle ready: node $dir/oracle.bundle.mjs < request.json"
