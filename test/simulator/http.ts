// Tiny fetch wrapper for the simulator tests.
import type { Simulator } from '../../simulator';

export interface Got {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary simulator JSON by path
  json: any;
}

export async function get(sim: Simulator, pathAndQuery: string, key: string | null = sim.apiKey): Promise<Got> {
  const headers: Record<string, string> = key === null ? {} : { Authorization: `Bearer ${key}` };
  const res = await fetch(sim.url + pathAndQuery, { headers });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json };
}
