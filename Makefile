# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   - virtualenv, pinned requirements, migrations, demo data, portal on :8000
#   make test  - lint (incl. the layer contract), Django checks and the whole pytest suite
# DATABASE_URL switches both to PostgreSQL; see README.md for every variable.

PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv migrate demo lint format check messages collectstatic serve-prod resilience quality bench-smoke clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

run: demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo --no-cache

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: venv
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

test: lint check
	$(BIN)/pytest $(PYTEST_ARGS)

# After editing locale/fa/LC_MESSAGES/django.po (needs GNU gettext's msgfmt); commit the .mo too.
messages: venv
	$(BIN)/python manage.py compilemessages --locale fa --ignore .venv --ignore quality

collectstatic: venv
	$(BIN)/python manage.py collectstatic --noinput

# Production-like trial on this machine: debug off, hashed and compressed static files.
serve-prod: venv
	DJANGO_DEBUG=0 DJANGO_SECURE_SSL_REDIRECT=0 DJANGO_SECURE_COOKIES=0 \
	  DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-local-trial-only-key} \
	  DJANGO_IDENTITY_HASH_KEY=$${DJANGO_IDENTITY_HASH_KEY:-local-trial-only-identity-hash-key-000} \
	  DJANGO_IDENTITY_ENCRYPTION_KEYS=$${DJANGO_IDENTITY_ENCRYPTION_KEYS:-bG9jYWwtdHJpYWwtb25seS1pZGVudGl0eS1rZXktMDA=} \
	  DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost} \
	  sh -c '$(BIN)/python manage.py collectstatic --noinput -v0 && \
	         $(BIN)/python manage.py migrate --noinput -v0 && \
	         $(BIN)/gunicorn -c deploy/gunicorn.conf.py portal.wsgi'

# Faults under load on a PostgreSQL cluster of its own: bench/README.md. RESILIENCE_ARGS=--seconds 90
resilience: venv
	$(BIN)/python bench/resilience.py $(RESILIENCE_ARGS)

# Lighthouse 12.2.3 and the Nu Html Checker on the public pages, against the bar of issue #15
# (quality/run.py; about 5 minutes, so not part of .ci/run). vnu runs on the machine's Java.
quality: venv
	[ -d quality/node_modules ] || npm ci --prefix quality --ignore-scripts --no-audit --no-fund
	$(BIN)/python quality/run.py

# bench/run in short (bench/README.md): every configuration and table, 1 round of 2 s an address.
bench-smoke: venv
	bench/run --scale 0.01 --rounds 1 --duration 2 --repeat 3 --embedded --nginx $(BENCH_ARGS)

clean:
	rm -rf staticfiles .pytest_cache .ruff_cache
