/**
 * The label selector tokenizer, with Kubernetes' lexing rules: whitespace is ' ', '\t', '\r' and
 * '\n'; the special characters are `= ! ( ) , > <`, combined greedily into `==` and `!=`; any other
 * run of characters is a word (keys, values and the word operators `in`, `notin`, `gt`, `lt`, which
 * the parser recognizes by position).
 */

/** The kind of a token: a word, one of the symbols, or the end of the text. */
export type TokenKind = 'word' | '=' | '==' | '!=' | '!' | '(' | ')' | ',' | '>' | '<' | 'end';

/** One token and the 0-based offset of its first character in the selector text. */
export interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);

/** Splits selector text into tokens; the last token is always `end` at `text.length`. Never throws. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text.charAt(i);
    if (WHITESPACE.has(ch)) {
      i++;
    } else if (SPECIAL.has(ch)) {
      const pair = text.slice(i, i + 2);
      const kind = (pair === '==' || pair === '!=' ? pair : ch) as TokenKind;
      tokens.push({ kind, text: kind, position: i });
      i += kind.length;
    } else {
      const start = i;
      while (i < text.length && !WHITESPACE.has(text.charAt(i)) && !SPECIAL.has(text.charAt(i))) i++;
      tokens.push({ kind: 'word', text: text.slice(start, i), position: start });
    }
  }
  tokens.push({ kind: 'end', text: '', position: text.length });
  return tokens;
}
