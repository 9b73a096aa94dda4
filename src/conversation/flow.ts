/**
 * Flows and their route table. A flow registers what it answers — conversational intents, the
 * postback actions named `<flow>.<action>`, kinds of understood subject, a shared location — and
 * keeps its own session slice; the router looks handlers up here instead of a central switch
 * that would grow with every flow.
 */
import type { IntentName } from '../nlu/types.js';
import type { Subject } from '../nlu/understand.js';
import type { ConversationServices, TurnContext } from './context.js';

export type Handler = (ctx: TurnContext) => Promise<void> | void;

/** A postback action: its arguments are checked against what exists now before it runs. */
export interface Action<A> {
  /** The arguments as the handler wants them, or undefined when they are stale or invalid. */
  parse(args: readonly string[], services: ConversationServices): A | undefined;
  run(ctx: TurnContext, args: A): Promise<void> | void;
}

/** Declares an action with typed arguments (the registry stores it type-erased). */
export function action<A>(definition: Action<A>): Action<unknown> {
  return definition as Action<unknown>;
}

/** The arguments of an action that takes none: a tap that carries some is stale or forged. */
export const noArguments = (args: readonly string[]): true | undefined => (args.length === 0 ? true : undefined);

/** An action that takes no arguments. */
export function noArgs(run: Handler): Action<unknown> {
  return action<true>({ parse: noArguments, run });
}

export type SubjectHandler<K extends Subject['kind']> = (ctx: TurnContext, subject: Extract<Subject, { kind: K }>) => Promise<void> | void;

export interface Flow {
  name: string;
  intents?: Partial<Record<IntentName, Handler>>;
  actions?: Record<string, Action<unknown>>;
  /** Handlers for what a text was understood as (an item, a choice between several, nothing). */
  subjects?: { [K in Subject['kind']]?: SubjectHandler<K> };
  /**
   * Looks at every event before anything else (a conversation handed to an agent): true when
   * the flow took the event. Its own postback actions are routed as usual.
   */
  intercept?: (ctx: TurnContext) => Promise<boolean> | boolean;
  /** A text this flow is waiting for (an application number): true when it took the text. */
  awaiting?: (ctx: TurnContext, text: string) => Promise<boolean> | boolean;
  /** A shared location; returning false passes it on to the next flow that takes locations. */
  location?: (ctx: TurnContext) => Promise<boolean | void> | boolean | void;
  file?: Handler;
}

export class FlowRegistry {
  private readonly flows: Flow[] = [];
  private readonly intents = new Map<IntentName, { flow: string; handler: Handler }>();
  private readonly actions = new Map<string, { flow: string; action: Action<unknown> }>();
  private readonly subjects = new Map<Subject['kind'], { flow: string; handler: SubjectHandler<Subject['kind']> }>();

  register(flow: Flow): this {
    this.flows.push(flow);
    const claim = <K>(map: Map<K, unknown>, key: K, what: string): void => {
      if (map.has(key)) throw new Error(`${what} ${String(key)} is registered by two flows`);
    };
    for (const [name, handler] of Object.entries(flow.intents ?? {})) {
      claim(this.intents, name as IntentName, 'intent');
      this.intents.set(name as IntentName, { flow: flow.name, handler: handler as Handler });
    }
    for (const [name, definition] of Object.entries(flow.actions ?? {})) {
      claim(this.actions, `${flow.name}.${name}`, 'action');
      this.actions.set(`${flow.name}.${name}`, { flow: flow.name, action: definition });
    }
    for (const [kind, handler] of Object.entries(flow.subjects ?? {})) {
      claim(this.subjects, kind as Subject['kind'], 'subject');
      this.subjects.set(kind as Subject['kind'], { flow: flow.name, handler: handler as SubjectHandler<Subject['kind']> });
    }
    return this;
  }

  intent(name: IntentName): { flow: string; handler: Handler } | undefined {
    return this.intents.get(name);
  }

  action(name: string): { flow: string; action: Action<unknown> } | undefined {
    return this.actions.get(name);
  }

  subject(kind: Subject['kind']): { flow: string; handler: SubjectHandler<Subject['kind']> } | undefined {
    return this.subjects.get(kind);
  }

  /** Flows with a handler of the given kind, in registration order. */
  withHandler<K extends 'intercept' | 'awaiting' | 'location' | 'file'>(kind: K): Array<Flow & Required<Pick<Flow, K>>> {
    return this.flows.filter((flow): flow is Flow & Required<Pick<Flow, K>> => flow[kind] !== undefined);
  }

  /** Every intent has a flow (checked at start, so none is silently unanswered). */
  missingIntents(all: readonly IntentName[]): IntentName[] {
    return all.filter((name) => !this.intents.has(name));
  }
}
