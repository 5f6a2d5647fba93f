import { describe, expect, it } from 'vitest';
import { expandVars } from '../src/container-env.js';

describe('$(VAR) expansion', () => {
  const vars = new Map([['POD_IP', '127.10.0.2'], ['PORT', '8080']]);
  it('expands known variables, keeps unknown references and $$ escapes, as Kubernetes does', () => {
    expect(expandVars('--listen=$(POD_IP):$(PORT)', vars)).toBe('--listen=127.10.0.2:8080');
    expect(expandVars('$(MISSING) stays', vars)).toBe('$(MISSING) stays');
    expect(expandVars('$$(POD_IP) is literal', vars)).toBe('$(POD_IP) is literal');
    expect(expandVars('cost: $5, unclosed $(PORT', vars)).toBe('cost: $5, unclosed $(PORT');
    expect(expandVars('trailing $', vars)).toBe('trailing $');
  });
});
