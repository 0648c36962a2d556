/** The page's stylesheet, inlined: the page loads nothing from anywhere. */
export const PAGE_STYLE = `
:root { color-scheme: light; --topic: #2f6fb0; --function: #d9730d; --dlt: #c0392b; --failure: #8e44ad; --muted: #5f6b7a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1d2530; background: #fafbfc; }
header, main { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 26px; }
h2 { margin: 36px 0 12px; font-size: 20px; border-bottom: 1px solid #dde3ea; padding-bottom: 6px; }
h3 { margin: 24px 0 8px; font-size: 17px; }
h4 { margin: 16px 0 6px; font-size: 15px; }
code, pre, .pipeline text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.card { background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 12px 18px; margin: 12px 0; }
.badge { display: inline-block; font-size: 12px; padding: 1px 8px; border-radius: 10px; margin-right: 6px; background: #eef2f6; color: #334; }
.badge.receive { background: #e6f0fa; color: var(--topic); }
.badge.send { background: #fff1e3; color: var(--function); }
.badge.dead-letter { background: #fdecea; color: var(--dlt); }
.badge.on-failure { background: #f4ecf8; color: var(--failure); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-size: 14px; }
th, td { text-align: left; border-bottom: 1px solid #e6eaef; padding: 4px 8px; vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
pre.json { background: #f3f5f8; border-radius: 6px; padding: 10px 12px; overflow-x: auto; font-size: 13px; margin: 6px 0; }
pre.proto { background: #f3f5f8; border-radius: 6px; padding: 10px 12px; overflow-x: auto; font-size: 13px; margin: 6px 0; }
.badge.format { background: #e9f7ef; color: #1e7b45; }
details > summary { cursor: pointer; color: var(--muted); }
figure { margin: 0; overflow-x: auto; background: #fff; border: 1px solid #dde3ea; border-radius: 8px; padding: 8px; }
figcaption { font-size: 13px; color: var(--muted); padding: 6px 8px 0; }
.legend span { margin-right: 16px; }
.legend .swatch { display: inline-block; width: 26px; height: 0; border-top: 2px solid #555; vertical-align: middle; margin-right: 6px; }
.legend .swatch.dead-letter { border-top: 2px dashed var(--dlt); }
.legend .swatch.on-failure { border-top: 2px dashed var(--failure); }
.pipeline { display: block; width: 100%; height: auto; }
.pipeline .node rect { stroke-width: 1.5; }
.pipeline .node text { font-size: 12px; fill: #1d2530; }
.pipeline .topic rect { fill: #e8f1fb; stroke: var(--topic); }
.pipeline .topic.failure rect { fill: #fdf0ee; stroke: var(--dlt); }
.pipeline .function rect { fill: #fff3e6; stroke: var(--function); }
.pipeline .edge { fill: none; stroke: #5b6573; stroke-width: 1.6; }
.pipeline .edge.dead-letter { stroke: var(--dlt); stroke-dasharray: 6 4; }
.pipeline .edge.on-failure { stroke: var(--failure); stroke-dasharray: 6 4; }
.pipeline .arrow path { fill: #5b6573; }
.pipeline .arrow.dead-letter path { fill: var(--dlt); }
.pipeline .arrow.on-failure path { fill: var(--failure); }
a { color: var(--topic); }
footer { max-width: 1200px; margin: 40px auto; padding: 0 24px; color: var(--muted); font-size: 13px; }
`;
