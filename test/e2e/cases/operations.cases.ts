import { scenario, useCase } from '../support/api-specification';
import * as given from '../support/api-given';
import * as then from '../support/api-then';
import { contactBody } from '../support/case-requests';

/** GET /health, GET /metrics, correlation ids and unknown routes. */
export const operations = useCase('operate the service', [
  scenario('GET /health reports the event store and Redis')
    .smoke()
    .when((s) => s.http().get('/health'))
    .then(
      then.response(200, {
        body: { status: 'ok', checks: { eventStore: { status: 'up' }, redis: { status: 'up' } } },
      }),
    ),

  scenario('GET /metrics counts commands by type and outcome and refusals by rule')
    .given(
      given.anOpenCase(),
      given.aRequest((s) => s.post(s.casePath('contacts'), contactBody()), 422),
    )
    .when((s) => s.http().get('/metrics'))
    .then(
      then.response(200),
      then.that(({ response }) => {
        expect(response.text).toMatch(
          /caseledger_commands_total\{type="OpenCase",outcome="accepted"\} \d+/,
        );
        expect(response.text).toMatch(/caseledger_command_refusals_total\{rule="R3"\} \d+/);
        expect(response.text).toMatch(/caseledger_append_duration_seconds_bucket/);
        expect(response.text).toMatch(/process_cpu_user_seconds_total/);
      }),
    ),

  scenario('echoes the caller’s correlation id')
    .when((s) => s.http().get('/health').set('X-Correlation-Id', 'abc-123'))
    .then(then.response(200, { headers: { 'x-correlation-id': 'abc-123' } })),

  scenario('mints a correlation id when the caller sends none')
    .when((s) => s.http().get('/health'))
    .then(then.response(200, { headers: { 'x-correlation-id': /^[0-9a-f-]{36}$/ } })),

  scenario('an unknown route is a problem document too')
    .when((s) => s.get('/api/v1/nothing-here'))
    .then(then.response(404, { headers: { 'content-type': /^application\/problem\+json/ } })),
]);
