// kafkajs's table of Kafka protocol errors (part of every kafkajs bundle already; kafkajs 2.2.4 exports no types for it).
declare module 'kafkajs/src/protocol/error.js' {
  const protocol: {
    readonly errorCodes: ReadonlyArray<{
      readonly type: string;
      readonly code: number;
      readonly retriable: boolean;
      readonly message: string;
    }>;
  };
  export default protocol;
}
