# The two commands: `make demo` (meshc's main job on samples/) and `make test`.
# Both install what is missing first (scripts/setup.sh).
SWIFT ?= swift
MESHC_RELEASE = .build/release/meshc
# meshc never runs an Envoy found in the current folder (a pull request could
# commit one): the demo and the tests name the project's own.
export MESHC_ENVOY := $(CURDIR)/.venv/bin/envoy
SERVICES ?= 10000
BENCH_DIR ?= /tmp/meshc-bench-$(SERVICES)

.PHONY: setup build release dist demo test test-unit bench-lint bench-build bench-git bench-plan bench-reconcile bench-reconcile-cpu bench-route-format bench-ca bench-mtls bench-authz bench-stats bench-precommit clean bench-service-entries

setup:
	@bash scripts/setup.sh

build: setup
	$(SWIFT) build

## The Swift runtime linked statically, as `make dist` ships it: a lint starts in 12 ms instead of 16
## (no 38 shared libraries to load and bind). Keep the flag on every release build in .build:
## SwiftPM rebuilds everything when it changes.
## (Products by name: the test-support target imports Testing, which has no static build.)
release: setup
	$(SWIFT) build -c release --static-swift-stdlib --product meshc
	$(SWIFT) build -c release --static-swift-stdlib --product MeshBench

## A tarball and a .deb for Linux x86_64 that run without a Swift toolchain (Swift runtime
## linked statically), built in .build-dist and left in .build-dist/dist/ (scripts/dist.sh).
dist: setup
	@SWIFT=$(SWIFT) bash scripts/dist.sh

## The main job on the bundled samples: lint every scenario's manifests.
demo: release
	@bash scripts/demo.sh

test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

## Unit tests only: everything but the `.e2e` tests (real Envoy, long-lived servers).
## Swift 6.3's `swift test` cannot skip by tag (`--skip tag:e2e` is a no-op there,
## kept for toolchains that can), so the tagged tests are skipped by name too.
test-unit: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --skip tag:e2e --skip MeshE2ETests --skip EnvoyValidatorTests --skip 'EnvoyValidateTests/envoyAcceptsBootstrap'

## Build gen_mesh.py --services $(SERVICES) beside a raw libyaml parse of the same files.
bench-build: release
	@bash scripts/bench-build.sh $(SERVICES) $(BENCH_DIR)

## Lint gen_mesh.py --services $(SERVICES) beside a raw libyaml parse of the same files.
bench-lint: release
	@bash scripts/bench-lint.sh $(SERVICES) $(BENCH_DIR)

## The Source stage: the same mesh in git, a second commit changing one file, linted through the parse cache.
bench-git: release
	@bash scripts/bench-git.sh $(SERVICES)

## meshc plan of a one-file change in the same mesh in git, the parse cache warm (goal < 100 ms).
bench-plan: release
	@bash scripts/bench-plan.sh $(SERVICES)
bench-precommit: release
	@bash scripts/bench-precommit.sh

## The CPU of a one-route commit without Envoy: the reconciler's build, its deltas, the agents' decode (one process).
bench-reconcile-cpu: release
	@bash scripts/mesh-repo.sh $(SERVICES) /tmp/meshc-bench-plan-$(SERVICES) timeout
	@.build/release/MeshBench reconcile /tmp/meshc-bench-plan-$(SERVICES) --repeat $${REPEAT:-5}

## meshc reconcile: commit → every proxy serving the new route (webhook), 1 and 10 local gateways, beside a direct PUT.
bench-reconcile: setup
	$(SWIFT) build -c release --scratch-path .build-reconcile --product meshc
	@MESHC=.build-reconcile/release/meshc bash scripts/bench-reconcile.sh

## Envoy loading the 10k mesh's 1,000-host gateway routes from JSON and from the agent's protobuf (same run).
bench-route-format: release
	@bash scripts/bench-route-format.sh $(SERVICES) $(BENCH_DIR)

## The mesh CA: 1,000 workload CSRs signed on every core (goal < 1 s), beside raw P-256 signatures.
## A small target of its own (MeshCABench), built in .build-ca: it skips the rest of meshc.
bench-ca:
	$(SWIFT) build -c release --scratch-path .build-ca --product MeshCABench
	@MESHCABENCH=.build-ca/release/MeshCABench bash scripts/bench-ca.sh

## One hop's added latency, mTLS vs plain text: meshc echo direct, through a hand-written Envoy,
## through two meshc sidecars in plain text and under STRICT + ISTIO_MUTUAL (REQUESTS, WARMUP).
## Uses .build/release/meshc when built, else the debug one (MESHC=… to choose).
bench-mtls:
	@bash scripts/bench-mtls.sh

bench-authz:
	@bash scripts/bench-authz.sh

bench-stats:
	@bash scripts/bench-stats.sh

## meshc build over 4,000 and 16,000 ServiceEntries and one sidecar (gen_mesh.py writes none): linear or not.
bench-service-entries: release
	@bash scripts/bench-service-entries.sh

clean:
	rm -rf .build
