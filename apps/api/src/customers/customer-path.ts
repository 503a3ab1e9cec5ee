/**
 * Customer ids are personal data (README "Personal data"), and the customer
 * routes carry one in the path: the application log gets the route's shape.
 */
export const redactCustomerPath = (url: string): string =>
  url.replace(/\/customers\/[^/?#]+/g, '/customers/[REDACTED]');
