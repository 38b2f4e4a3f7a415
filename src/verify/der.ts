/** The strict DER reader lives in core (the CA and the CT log splice certificates with it too). */
export * from '../core/der.ts';
