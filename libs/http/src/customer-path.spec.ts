import { redactCustomerPath, redactUrl } from './http-hardening';

describe('customer ids stay out of the application log', () => {
  it('a customer route is logged without its customer id; other routes are unchanged', () => {
    expect(redactCustomerPath('/api/v1/customers/cust-4711/dispose')).toBe(
      '/api/v1/customers/[REDACTED]/dispose',
    );
    expect(redactCustomerPath('/api/v1/customers/cust-4711/cases?limit=5')).toBe(
      '/api/v1/customers/[REDACTED]/cases?limit=5',
    );
    expect(redactCustomerPath('/api/v1/cases/abc')).toBe('/api/v1/cases/abc');
  });

  it('the request log line redacts customer ids and credentials alike', () => {
    expect(redactUrl('/api/v1/customers/cust-4711/cases?token=abc')).toBe(
      '/api/v1/customers/[REDACTED]/cases?token=[REDACTED]',
    );
  });
});
