# The two commands. Each installs what is missing first (scripts/setup.sh), so a fresh machine needs nothing else.

.PHONY: serve test

# Serve the playground on http://127.0.0.1:8080 (rebuilds on change).
serve:
	scripts/setup.sh build
	PATH="$$HOME/.cargo/bin:$(CURDIR)/.tools/node_modules/.bin:$$PATH" trunk serve

# Run every check: fmt, clippy, native tests, browser tests (Chromium and Firefox), release build, page check.
test:
	scripts/setup.sh test
	scripts/test.sh
