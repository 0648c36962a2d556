// avsc's types-only entry (no file, stream or RPC code: about half of avsc's bundle). Same Type API as 'avsc'.
declare module 'avsc/etc/browser/avsc-types.js' {
  export { Type, types } from 'avsc';
}
