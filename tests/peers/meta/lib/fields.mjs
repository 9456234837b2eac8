// The `fields=` expression of the Graph API: a comma list of field names, each with
// optional modifiers (`messages.limit(5)`) and a nested selection (`from{id,name}`).
//
// parseFields("id,from{id,name},messages.limit(5){id}") →
//   [{name:"id",mods:{},sub:null}, {name:"from",mods:{},sub:[...]}, {name:"messages",mods:{limit:"5"},sub:[...]}]

const NAME = /[A-Za-z0-9_]/;

/** Parses a `fields` expression; throws an Error with a Graph-like message on bad syntax. */
export function parseFields(text) {
  let i = 0;
  const fail = (what) => {
    throw new Error(`Syntax error "${what}" at character ${i}: ${text}`);
  };
  const name = () => {
    let out = '';
    while (i < text.length && NAME.test(text[i])) out += text[i++];
    return out;
  };
  const item = () => {
    const field = name();
    if (!field) fail(`Field name expected instead of "${text[i] ?? 'end of string'}"`);
    const mods = {};
    while (text[i] === '.') {
      i++;
      const mod = name();
      if (!mod || text[i] !== '(') fail('Expected "(" after a modifier');
      i++;
      let arg = '';
      while (i < text.length && text[i] !== ')') arg += text[i++];
      if (text[i] !== ')') fail('Expected ")"');
      i++;
      mods[mod] = arg;
    }
    let sub = null;
    if (text[i] === '{') {
      i++;
      sub = list('}');
    }
    return { name: field, mods, sub };
  };
  const list = (end) => {
    const items = [];
    for (;;) {
      while (text[i] === ' ') i++;
      if (i >= text.length) {
        if (end) fail(`Expected "${end}"`);
        return items;
      }
      if (text[i] === end) {
        i++;
        return items;
      }
      items.push(item());
      while (text[i] === ' ') i++;
      if (text[i] === ',') i++;
      else if (i < text.length && text[i] !== end) fail(`Expected "," instead of "${text[i]}"`);
    }
  };
  const out = list(null);
  return out;
}
