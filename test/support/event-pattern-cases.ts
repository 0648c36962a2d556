// The conformance table of the filter pattern matcher (src/harness/filter-criteria/event-pattern.ts), shared by its
// unit test and the differential test against AWS's Event Ruler.
// Each row: a pattern from AWS's documentation, an event it matches and events it does not.
// L = https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
// E = https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
/** One pattern with events it matches and events it does not, written as JSON text. */
export interface PatternCase {
  readonly name: string;
  readonly pattern: unknown;
  readonly match: readonly string[];
  readonly miss: readonly string[];
}

export const conformance: readonly PatternCase[] = [
  { name: 'L null', pattern: { UserID: [null] }, match: ['{"UserID":null}'], miss: ['{"UserID":"u-1"}', '{}'] },
  { name: 'L empty', pattern: { LastName: [''] }, match: ['{"LastName":""}'], miss: ['{"LastName":"Doe"}', '{}'] },
  { name: 'L equals', pattern: { Name: ['Alice'] }, match: ['{"Name":"Alice"}'], miss: ['{"Name":"alice"}', '{"Name":"Alice "}'] },
  {
    name: 'L equals (ignore case)',
    pattern: { Name: [{ 'equals-ignore-case': 'alice' }] },
    match: ['{"Name":"Alice"}', '{"Name":"ALICE"}'],
    miss: ['{"Name":"Alicia"}', '{"Name":1}'],
  },
  {
    name: 'L and',
    pattern: { Location: ['New York'], Day: ['Monday'] },
    match: ['{"Location":"New York","Day":"Monday"}'],
    miss: ['{"Location":"New York","Day":"Friday"}', '{"Location":"New York"}'],
  },
  {
    name: 'L or',
    pattern: { PaymentType: ['Credit', 'Debit'] },
    match: ['{"PaymentType":"Credit"}', '{"PaymentType":"Debit"}'],
    miss: ['{"PaymentType":"Cash"}'],
  },
  {
    name: 'L or (multiple fields)',
    pattern: { $or: [{ Location: ['New York'] }, { Day: ['Monday'] }] },
    match: ['{"Location":"New York","Day":"Friday"}', '{"Location":"Paris","Day":"Monday"}'],
    miss: ['{"Location":"Paris","Day":"Friday"}'],
  },
  {
    name: 'L not',
    pattern: { Weather: [{ 'anything-but': ['Raining'] }] },
    match: ['{"Weather":"Sunny"}'],
    miss: ['{"Weather":"Raining"}', '{}'],
  },
  {
    name: 'L numeric (equals): values compared, not text',
    pattern: { Price: [{ numeric: ['=', 100] }] },
    match: ['{"Price":100}', '{"Price":100.0}', '{"Price":1e2}'],
    miss: ['{"Price":101}', '{"Price":"100"}'],
  },
  {
    name: 'L numeric (range)',
    pattern: { Price: [{ numeric: ['>', 10, '<=', 20] }] },
    match: ['{"Price":20}', '{"Price":10.5}'],
    miss: ['{"Price":10}', '{"Price":20.01}', '{"Price":"15"}'],
  },
  { name: 'L exists', pattern: { ProductName: [{ exists: true }] }, match: ['{"ProductName":"x"}'], miss: ['{}', '{"Other":1}'] },
  { name: 'L does not exist', pattern: { ProductName: [{ exists: false }] }, match: ['{}'], miss: ['{"ProductName":"x"}'] },
  {
    name: 'L exists works on leaves only',
    pattern: { person: { address: [{ exists: true }] } },
    match: ['{"person":{"address":"123 Main St"}}'],
    miss: ['{"person":{"name":"John Doe","age":30,"address":{"street":"123 Main St","city":"Anytown","country":"USA"}}}'],
  },
  { name: 'L begins with', pattern: { Region: [{ prefix: 'us-' }] }, match: ['{"Region":"us-east-1"}'], miss: ['{"Region":"eu-west-1"}'] },
  { name: 'L ends with', pattern: { FileName: [{ suffix: '.png' }] }, match: ['{"FileName":"a.png"}'], miss: ['{"FileName":"a.PNG"}'] },
  {
    name: 'L numbers as values are compared by their text: 300, 300.0 and 3.0e2 differ',
    pattern: { Price: [300] },
    match: ['{"Price":300}'],
    miss: ['{"Price":300.0}', '{"Price":3.0e2}', '{"Price":"300"}'],
  },
  {
    name: 'E anything-but (begins with)',
    pattern: { Region: [{ 'anything-but': { prefix: 'us-' } }] },
    match: ['{"Region":"eu-west-1"}'],
    miss: ['{"Region":"us-east-1"}'],
  },
  {
    name: 'E anything-but (ends with)',
    pattern: { FileName: [{ 'anything-but': { suffix: '.png' } }] },
    match: ['{"FileName":"a.jpg"}'],
    miss: ['{"FileName":"a.png"}'],
  },
  {
    name: 'E anything-but (ignore case)',
    pattern: { state: [{ 'anything-but': { 'equals-ignore-case': 'initializing' } }] },
    match: ['{"state":"running"}'],
    miss: ['{"state":"INITIALIZING"}', '{"state":"initializing"}'],
  },
  {
    name: 'E anything-but using a wildcard',
    pattern: { FilePath: [{ 'anything-but': { wildcard: '*/lib/*' } }] },
    match: ['{"FilePath":"/usr/bin/node"}'],
    miss: ['{"FilePath":"/usr/lib/node"}'],
  },
  {
    name: 'E anything-but (a value)',
    pattern: { state: [{ 'anything-but': 'initializing' }] },
    match: ['{"state":"running"}'],
    miss: ['{"state":"initializing"}'],
  },
  {
    name: 'E anything-but (numbers)',
    pattern: { 'x-limit': [{ 'anything-but': [100, 200, 300] }] },
    match: ['{"x-limit":400}'],
    miss: ['{"x-limit":200}'],
  },
  {
    name: 'E begins with (ignore case)',
    pattern: { service: [{ prefix: { 'equals-ignore-case': 'eventb' } }] },
    match: ['{"service":"EventBridge"}', '{"service":"EVENTBRIDGE"}'],
    miss: ['{"service":"Lambda"}'],
  },
  {
    name: 'E ends with (ignore case)',
    pattern: { service: [{ suffix: { 'equals-ignore-case': 'tbridge' } }] },
    match: ['{"service":"EventBridge"}', '{"service":"EVENTBRIDGE"}'],
    miss: ['{"service":"Lambda"}'],
  },
  {
    name: 'E wildcard',
    pattern: { EventBusArn: [{ wildcard: 'arn:aws:events:us-east-1:*:event-bus/*' }] },
    match: ['{"EventBusArn":"arn:aws:events:us-east-1:123456789012:event-bus/default"}'],
    miss: ['{"EventBusArn":"arn:aws:events:eu-west-1:123456789012:event-bus/default"}'],
  },
  {
    name: 'E wildcard escapes: \\* is a star',
    pattern: { name: [{ wildcard: 'a\\*b*' }] },
    match: ['{"name":"a*bc"}'],
    miss: ['{"name":"axbc"}'],
  },
  {
    name: 'E numeric, several fields (and 3.018e2 is 301.8)',
    pattern: {
      detail: {
        'c-count': [{ numeric: ['>', 0, '<=', 5] }],
        'd-count': [{ numeric: ['<', 10] }],
        'x-limit': [{ numeric: ['=', 3.018e2] }],
      },
    },
    match: ['{"detail":{"c-count":5,"d-count":3,"x-limit":301.8}}'],
    miss: ['{"detail":{"c-count":0,"d-count":3,"x-limit":301.8}}', '{"detail":{"c-count":5,"d-count":10,"x-limit":301.8}}'],
  },
  {
    name: 'E arrays: a rule matches when any element does',
    pattern: { resources: ['arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f'] },
    match: ['{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-0","arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f"]}'],
    miss: ['{"resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-0"]}', '{"resources":[]}'],
  },
  {
    name: 'Event Ruler: the fields of one nested pattern match within one array element',
    pattern: { orders: { id: ['o-1'], state: ['paid'] } },
    match: ['{"orders":[{"id":"o-2","state":"new"},{"id":"o-1","state":"paid"}]}'],
    miss: ['{"orders":[{"id":"o-1","state":"new"},{"id":"o-2","state":"paid"}]}'],
  },
  {
    name: 'a nested $or',
    pattern: { detail: { $or: [{ 'c-count': [{ numeric: ['>', 0, '<=', 5] }] }, { 'd-count': [{ numeric: ['<', 10] }] }] } },
    match: ['{"detail":{"c-count":3}}', '{"detail":{"d-count":3}}'],
    miss: ['{"detail":{"c-count":30,"d-count":30}}'],
  },
  {
    name: 'booleans are equal only to booleans',
    pattern: { active: [true] },
    match: ['{"active":true}'],
    miss: ['{"active":"true"}', '{"active":false}'],
  },
];

/**
 * Cases AWS's pages do not settle, answered as the matcher answers them; the differential test shows whether
 * Event Ruler, AWS's own matcher, agrees.
 */
export const assumptions: readonly PatternCase[] = [
  {
    name: 'anything-but (values) matches null and booleans, which are not listed',
    pattern: { f: [{ 'anything-but': ['x'] }] },
    match: ['{"f":null}', '{"f":true}', '{"f":"y"}'],
    miss: ['{"f":"x"}'],
  },
  {
    name: 'string operators never match numbers',
    pattern: { f: [{ prefix: '5' }] },
    match: ['{"f":"50"}'],
    miss: ['{"f":50}'],
  },
  {
    name: 'anything-but prefix matches what is not a string with that prefix, numbers included',
    pattern: { f: [{ 'anything-but': { prefix: 'a' } }] },
    match: ['{"f":"b"}', '{"f":5}'],
    miss: ['{"f":"abc"}'],
  },
  {
    name: 'exists: false holds for an object (not a leaf) and an empty array',
    pattern: { f: [{ exists: false }] },
    match: ['{"f":{"g":1}}', '{"f":[]}', '{}'],
    miss: ['{"f":1}', '{"f":null}'],
  },
  {
    name: 'anything-but on an array: some element is not excluded',
    pattern: { f: [{ 'anything-but': ['a'] }] },
    match: ['{"f":["a","b"]}'],
    miss: ['{"f":["a"]}'],
  },
  {
    name: 'a number rule does not match a numeric string',
    pattern: { f: [5] },
    match: ['{"f":5}'],
    miss: ['{"f":"5"}'],
  },
];
