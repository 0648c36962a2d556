import type { Context } from 'aws-lambda';

/**
 * A Lambda context for tests. The Lambda runtime is a boundary we cannot run
 * here; only `getRemainingTimeInMillis` matters to the router.
 */
export function lambdaContext(options: { remainingMs?: number | (() => number); functionName?: string } = {}): Context {
  const { remainingMs = 60_000 } = options;
  const started = Date.now();
  const remaining = typeof remainingMs === 'function' ? remainingMs : () => remainingMs - (Date.now() - started);
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: options.functionName ?? 'test-function',
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${options.functionName ?? 'test-function'}`,
    memoryLimitInMB: '1024',
    awsRequestId: 'test-request',
    logGroupName: '/aws/lambda/test-function',
    logStreamName: 'test',
    getRemainingTimeInMillis: remaining,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
