export const OPTIONS_CSS = `
:root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
.options { max-width: 36rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
label { display: block; margin: .75rem 0; font-weight: 600; }
input { display: block; width: 100%; box-sizing: border-box; margin-top: .25rem; padding: .5rem; font: inherit; border: 1px solid #8888; border-radius: .4rem; background: Canvas; color: CanvasText; }
button { font: inherit; padding: .45rem 1.1rem; border-radius: .4rem; border: 1px solid #1a73e8; background: #1a73e8; color: white; cursor: pointer; }
button:disabled { opacity: .6; cursor: default; }
button:focus-visible, input:focus-visible { outline: 3px solid #1a73e866; outline-offset: 2px; }
code { background: #8882; padding: .1rem .3rem; border-radius: .25rem; }
.status { padding: .6rem .8rem; border-radius: .4rem; background: #8881; }
.status-connected { border-left: 4px solid #188038; }
.status-offline, .status-rejected, .status-impostor { border-left: 4px solid #d93025; }
.facts { font-size: .9rem; overflow-wrap: anywhere; }
.status-unpaired, .status-connecting { border-left: 4px solid #e8710a; }
.ok { color: #188038; } .error { color: #d93025; }
@media (prefers-color-scheme: dark) { .ok { color: #81c995; } .error { color: #f28b82; } }
`;
