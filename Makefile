# The two commands a newcomer needs are `make run` and `make test`; each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export PATH := $(CURDIR)/node_modules/.bin:$(PATH)
BENCH ?=

WORKSPACE_MANIFESTS := package.json package-lock.json $(wildcard libs/*/package.json services/*/package.json infra/package.json bench/package.json)

.PHONY: help install run test test-unit test-int test-e2e lint typecheck proto proto-breaking bench infra-up infra-down clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

node_modules/.medspa-installed: $(WORKSPACE_MANIFESTS)
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.medspa-installed ## Install dependencies (npm ci)

proto: install ## Lint proto/ and generate TypeScript into libs/contracts
	bash libs/contracts/generate.sh

proto-breaking: install ## Check proto/ for breaking changes against the previous commit
	bash libs/contracts/breaking.sh

run: proto ## Start every service on the embedded default with demo data
	tsx infra/run.ts

test: proto ## Run every test tier against real PostgreSQL, Kafka and Redis
	vitest run --project unit
	vitest run --project int
	vitest run --project e2e
	bash deploy/chart-check.sh
	vitest run --config deploy/vitest.config.ts --project deploy

test-unit: proto ## Unit tests only
	vitest run --project unit

test-int: proto ## Integration tests only (real infrastructure)
	vitest run --project int

test-e2e: proto ## End-to-end tests only
	vitest run --project e2e

typecheck: proto
	tsc -p tsconfig.json --noEmit

lint: typecheck proto-breaking ## Typecheck, ESLint, Prettier, buf lint and buf breaking
	eslint .
	prettier --check .

bench: proto ## Run every benchmark under bench/ (or one: make bench BENCH=eventstore)
	tsx bench/run.ts $(BENCH)

infra-up: install ## Start PostgreSQL, Kafka and Redis for manual work; prints their URLs
	tsx infra/cli.ts up

infra-down: install ## Stop what infra-up started
	tsx infra/cli.ts down

clean: ## Remove generated code, local data and dependencies
	rm -rf node_modules libs/contracts/src/gen .data
