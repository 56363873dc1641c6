/**
 * negotiator 1.x ships no types, and @types/negotiator describes 0.6, which has no `preferred`
 * option: the part of 1.1's API we call.
 */
declare module 'negotiator' {
  interface NegotiatorRequest {
    headers: Record<string, string | string[] | undefined>;
  }
  class Negotiator {
    constructor(request: NegotiatorRequest);
    /**
     * The coding of `available` the client prefers, or undefined when it accepts none. On equal
     * q-values `preferred` decides, in its order.
     */
    encoding(available: readonly string[], options?: { preferred?: readonly string[] }): string | undefined;
  }
  export default Negotiator;
}
