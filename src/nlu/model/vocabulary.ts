/**
 * Every distinct token of the training content gets an integer id once, and documents are kept
 * as arrays of ids: at 1,000 items that is ~45,000 documents and millions of tokens, which as
 * JavaScript strings would cost hundreds of megabytes.
 */
import { kindOf, type FeatureKind } from '../tokenize.js';

export class Vocabulary {
  private readonly ids = new Map<string, number>();
  readonly kinds: FeatureKind[] = [];
  /** The tokens in id order (what the cache stores to restore the same ids). */
  readonly tokens: string[] = [];

  /** The vocabulary whose ids are the positions of `tokens`. */
  static fromTokens(tokens: readonly string[]): Vocabulary {
    const vocabulary = new Vocabulary();
    vocabulary.add(tokens);
    return vocabulary;
  }

  get size(): number {
    return this.kinds.length;
  }

  /** Ids of the tokens, adding unseen ones (training). */
  add(tokens: readonly string[]): number[] {
    return tokens.map((token) => {
      let id = this.ids.get(token);
      if (id === undefined) {
        id = this.kinds.length;
        this.ids.set(token, id);
        this.kinds.push(kindOf(token));
        this.tokens.push(token);
      }
      return id;
    });
  }

  /** Ids of the known tokens; unseen ones are dropped (they match nothing anyway). */
  encode(tokens: readonly string[]): number[] {
    const ids: number[] = [];
    for (const token of tokens) {
      const id = this.ids.get(token);
      if (id !== undefined) ids.push(id);
    }
    return ids;
  }
}
