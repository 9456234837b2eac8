import { afterEach, describe, expect, it, vi } from 'vitest';
import { BackendError } from './backend';
import { EMPTY_CODE_MESSAGE, JoinTeamForm, type Joiner } from './joinTeam.svelte';
import { joinPreview } from './testFixtures';

const CODE = 'sbjoin1.c2VjcmV0LWNvZGU';

function joiner(overrides: Partial<Joiner> = {}) {
  return {
    previewJoin: vi.fn(async (_code: string) => joinPreview()),
    join: vi.fn(async (_name: string, _code: string) => ({ ok: true }) as const),
    ...overrides,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('JoinTeamForm', () => {
  it('asks for a code before checking it', async () => {
    const backend = joiner();
    const form = new JoinTeamForm(backend);
    expect(await form.check()).toBe(false);
    expect(form.error).toBe(EMPTY_CODE_MESSAGE);
    expect(backend.previewJoin).not.toHaveBeenCalled();
  });

  it('checks the code, shows the team, names the workspace after it, and joins with name and code', async () => {
    const backend = joiner();
    const form = new JoinTeamForm(backend);
    form.open();
    form.setCode(`  ${CODE}\n`);
    expect(await form.check()).toBe(true);
    expect(backend.previewJoin).toHaveBeenCalledWith(CODE);
    expect(form.preview?.team_name).toBe('Northwind Support');
    expect(form.name).toBe('Northwind Support');

    expect(await form.join()).toBe(true);
    expect(backend.join).toHaveBeenCalledWith('Northwind Support', CODE);
    expect(form.code, 'the code is cleared once joined').toBe('');
    expect(form.preview).toBeNull();
    expect(form.isOpen).toBe(false);
  });

  it('keeps a name the person typed', async () => {
    const backend = joiner();
    const form = new JoinTeamForm(backend);
    form.setName('Support team');
    form.setCode(CODE);
    await form.check();
    expect(form.name).toBe('Support team');
    await form.join();
    expect(backend.join).toHaveBeenCalledWith('Support team', CODE);
  });

  it('shows the backend\'s words for a refused code, and forgets a preview once the code changes', async () => {
    const backend = joiner({
      previewJoin: vi.fn(async () => {
        throw new BackendError('not_allowed', 'This join code was already used. Ask your administrator for a new one.');
      }),
    });
    const form = new JoinTeamForm(backend);
    form.setCode(CODE);
    expect(await form.check()).toBe(false);
    expect(form.error).toBe('This join code was already used. Ask your administrator for a new one.');
    expect(form.preview).toBeNull();

    const good = joiner();
    const again = new JoinTeamForm(good);
    again.setCode(CODE);
    await again.check();
    again.setCode(`${CODE}x`);
    expect(again.preview, 'another code needs another check').toBeNull();
  });

  it('shows why joining failed and keeps the code for another try', async () => {
    const backend = joiner({ join: vi.fn(async () => ({ ok: false, message: "Couldn't reach the team's server." }) as const) });
    const form = new JoinTeamForm(backend);
    form.setCode(CODE);
    await form.check();
    expect(await form.join()).toBe(false);
    expect(form.error).toBe("Couldn't reach the team's server.");
    expect(form.code).toBe(CODE);
  });

  it('never writes the code to the console', async () => {
    const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
      vi.spyOn(console, level).mockImplementation(() => undefined),
    );
    const form = new JoinTeamForm(
      joiner({
        previewJoin: vi.fn(async () => {
          throw new BackendError('invalid_input', 'That is not a join code.');
        }),
      }),
    );
    form.setCode(CODE);
    await form.check();
    for (const spy of spies) {
      for (const args of spy.mock.calls) expect(JSON.stringify(args)).not.toContain(CODE);
    }
  });

  it('closing forgets the code', () => {
    const form = new JoinTeamForm(joiner());
    form.open();
    form.setCode(CODE);
    form.close();
    expect(form.code).toBe('');
    expect(form.isOpen).toBe(false);
  });
});
