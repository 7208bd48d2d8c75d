#!/usr/bin/env bash
# Builds the web app for the browser and runs its test in headless Chromium
# (web/tests/app.test.mjs: draws digits 0-9, a non-digit, undo and clear; about 2-4 minutes;
# web/tests/app-learn.test.mjs: corrections, the stored personal model, Forget).
# Screenshots go to test-artifacts/ (app-screenshot.png is the README's picture, copied by hand).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh web   # Chromium and playwright-core, on top of what the build needs
# The app as scripts/start.sh builds it: its corrections rehearse on the sample it generates
# (set FCNET_APP_REHEARSAL to a file from `fcnet rehearsal` to build and test with that instead).
scripts/build-app.sh
cd web
node --test tests/app.test.mjs
node --test tests/app-learn.test.mjs  # corrections, IndexedDB, Forget
node --test tests/robustness.test.mjs  # bad input in the app and the module (dist/ from scripts/build-module.sh)
