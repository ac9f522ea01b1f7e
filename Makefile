# The two commands: `make run` (whole system + demo data) and `make test` (the full suite).
.PHONY: run test stop status logs dlq dlq-replay

run:            ## start broker, services, admin UI and demo data
	@infra/local/run.sh

test:           ## install what is missing, start broker + PostgreSQL, run every test
	@infra/local/test.sh

stop:           ## stop the services, then the broker and PostgreSQL
	@infra/local/services.sh stop
	@infra/local/rabbitmq.sh stop
	@infra/local/postgres.sh stop

status:
	@infra/local/services.sh status
	@infra/local/rabbitmq.sh status

logs:
	@infra/local/services.sh logs

dlq:            ## list dead letters with their reason
	@.venv/bin/python -m reintegra.messaging.dlq list

dlq-replay:     ## replay dead letters: make dlq-replay ID=<message id> (or ID=all)
	@if [ "$(ID)" = all ]; then .venv/bin/python -m reintegra.messaging.dlq replay --all; \
	else .venv/bin/python -m reintegra.messaging.dlq replay --id "$(ID)"; fi
