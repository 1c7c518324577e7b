// Listens to every event of <hashiya-annotator> and calls its API from buttons.
// Everything user-provided is written with textContent, never as HTML.

const EVENTS = [
  'hashiya-ready',
  'hashiya-create',
  'hashiya-update',
  'hashiya-delete',
  'hashiya-change',
  'hashiya-error',
];

const log = document.getElementById('log');
const output = document.getElementById('output');

/** A short, readable summary of an event's detail. */
function summarise(type, detail) {
  if (!detail) return '';
  switch (type) {
    case 'hashiya-ready':
      return `doc ${detail.doc_id}, ${detail.annotations} annotation(s)`;
    case 'hashiya-create':
    case 'hashiya-update':
    case 'hashiya-delete':
      return `${detail.label} «${detail.quote}» [${detail.start}, ${detail.end})` + (detail.note ? ` note: ${detail.note}` : '');
    case 'hashiya-change':
      return `doc ${detail.doc_id}: ${detail.count} annotation(s), +${detail.created} ~${detail.updated} -${detail.deleted}` + (detail.bulk ? ' (bulk)' : '');
    case 'hashiya-error':
      return `${detail.source}: ${detail.message}`;
    default:
      return JSON.stringify(detail);
  }
}

function record(event) {
  const li = document.createElement('li');
  li.dataset.event = event.type;
  const type = document.createElement('span');
  type.className = 'type';
  type.textContent = event.type;
  const from = event.composedPath().find((n) => n.localName === 'hashiya-annotator');
  const summary = document.createElement('span');
  summary.className = 'summary';
  summary.textContent = ` from #${from ? from.id : '?'}: ${summarise(event.type, event.detail)}`;
  const detail = document.createElement('code');
  detail.className = 'detail';
  detail.textContent = JSON.stringify(event.detail);
  li.append(type, summary, detail);
  log.append(li);
  while (log.children.length > 200) log.firstElementChild.remove();
}

// The events bubble and are composed, so one listener on document hears every widget.
for (const type of EVENTS) document.addEventListener(type, record);

function show(value) {
  output.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Code point offsets [start, end) of `needle` in `text` (the API counts code points, not UTF-16 units). */
function codePointSpan(text, needle) {
  const at = text.indexOf(needle);
  if (at < 0) return null;
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...needle].length };
}

async function main() {
  await customElements.whenDefined('hashiya-annotator');
  const el = document.getElementById('annotator');
  await el.ready;

  const actions = {
    'add-person': () => {
      const text = JSON.parse(el.exportJson()).documents[0].text;
      const span = codePointSpan(text, 'جون كيري');
      return el.addAnnotation({ ...span, label: 'person', note: 'added through the API' });
    },
    'add-bad': () => el.addAnnotation({ start: 10, end: 2, label: 'person' }),
    undo: () => el.undo(),
    redo: () => el.redo(),
    clear: () => el.clear(),
    get: () => el.getAnnotations(),
    'export-json': () => el.exportJson(),
    'export-w3c': () => el.exportW3c(),
    'export-jsonl': () => el.exportJsonl(),
    'clear-log': () => log.replaceChildren(),
  };

  for (const button of document.querySelectorAll('button[data-api]')) {
    button.addEventListener('click', () => {
      try {
        const result = actions[button.dataset.api]();
        show(result === undefined ? 'done' : result);
      } catch (e) {
        show(`Error: ${e.message}`);
      }
    });
  }
}

main().catch((e) => show(`Error: ${e.message}`));
