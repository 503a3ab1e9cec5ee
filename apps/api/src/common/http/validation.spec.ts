import { onePerField } from './validation';

describe('validation errors list each field once', () => {
  it('joins the messages of a field that failed several checks, keeping the order of fields', () => {
    expect(
      onePerField([
        { field: 'openedOn', message: 'must be a date' },
        { field: 'customer.id', message: 'is required' },
        { field: 'openedOn', message: 'must not be in the future' },
        { field: 'openedOn', message: 'must be a date' },
      ]),
    ).toEqual([
      { field: 'openedOn', message: 'must be a date; must not be in the future' },
      { field: 'customer.id', message: 'is required' },
    ]);
  });
});
