/**
 * 惠企政策 in chat — the policy finder. A number that is a directory contact gets the policies
 * for its enterprise at once (its chosen one, when it serves several); anyone else answers three
 * questions with chips — industry, scale, a tag — and gets the policies that fit, as cards with
 * 详情, 申报 and 咨询. Nothing found: said plainly, with 转人工 and "tell me about new policies".
 * The answers travel in the buttons' postback data, so the finder keeps no session state.
 */
import { userKey } from '../../../channels/identity.js';
import { profileOf, type Enterprise } from '../../../directory/enterprise.js';
import type { Profile } from '../../../directory/criteria.js';
import type { Policy } from '../../../policies/schema.js';
import type { PolicyMatch } from '../../../policies/policies.js';
import type { WatchedProfile } from '../../../policies/watches.js';
import type { TurnContext } from '../../context.js';
import { action, type Flow, noArgs } from '../../flow.js';
import { answerArgs, answersProfile, answersText, NONE, parseAnswers, type FinderAnswers } from './answers.js';
import { policyView } from '../../../policies/view.js';

/** Cards in one answer: a carousel holds ten at most. */
const PAGE = 10;

type Heading = { enterprise: Enterprise } | { answers: FinderAnswers };

async function start(ctx: TurnContext): Promise<void> {
  const enterprises = await ctx.services.directory.byPhone(ctx.event.userId);
  const [only] = enterprises;
  if (only && enterprises.length === 1) return showFor(ctx, { enterprise: only }, profileOf(only), 0);
  if (enterprises.length > 1) {
    ctx.say('policy-choose-enterprise', {
      count: enterprises.length,
      enterprises: enterprises.map((enterprise) => ({ name: enterprise.name, action: ctx.action('policy.for', enterprise._id, 0) })),
    });
    return;
  }
  askIndustry(ctx);
}

function askIndustry(ctx: TurnContext): void {
  const { industries } = ctx.services.vocabulary.finder;
  ctx.say('policy-ask-industry', { options: industries.map((option) => ({ label: option.label, action: ctx.action('policy.scale', option.industry ?? NONE) })) });
}

function showFor(ctx: TurnContext, heading: Heading, profile: Profile, offset: number): void {
  const matches = ctx.services.policies.matching(profile, ctx.now);
  const about = 'enterprise' in heading ? { enterprise: { name: heading.enterprise.name } } : { profileText: answersText(heading.answers, ctx.services.vocabulary.finder) };
  const restart = 'answers' in heading ? ctx.action('policy.start') : undefined;
  if (matches.length === 0) {
    const watch = 'enterprise' in heading ? ctx.action('policy.watch_for', heading.enterprise._id) : ctx.action('policy.watch', ...answerArgs(heading.answers));
    ctx.say('policy-none', { ...about, watch, restart });
    return;
  }
  const page = matches.slice(offset, offset + PAGE);
  const next = offset + PAGE < matches.length ? offset + PAGE : undefined;
  const more =
    next === undefined ? undefined : 'enterprise' in heading ? ctx.action('policy.for', heading.enterprise._id, next) : ctx.action('policy.match', ...answerArgs(heading.answers), next);
  if (offset === 0) {
    ctx.say('policy-found', {
      ...about,
      open: matches.filter((match) => match.window.state === 'open').length,
      upcoming: matches.filter((match) => match.window.state === 'upcoming').length,
      toCheck: matches.filter((match) => match.verdict === 'unknown').length,
      shown: page.length,
      more: more !== undefined,
    });
  }
  const cards = page.map((match) => cardData(ctx, match));
  if (cards.length === 1) ctx.say('policy-card', { policy: cards[0], restart });
  else ctx.say('policy-list', { policies: cards, more, restart });
}

function cardData(ctx: TurnContext, match: PolicyMatch): Record<string, unknown> {
  return { ...policyView(match.policy, match.window), verdict: match.verdict, detail: ctx.action('policy.detail', match.policy.id) };
}

/** The detail card of a policy (also what a campaign card's 详情 shows). */
export function showDetail(ctx: TurnContext, policy: Policy): void {
  const item = policy.item === undefined ? undefined : ctx.services.catalog.item(policy.item);
  ctx.say('policy-detail', { policy: policyView(policy, ctx.services.policies.windowOf(policy, ctx.now)), guide: item ? ctx.action('guide.show', item.code) : undefined });
}

async function watch(ctx: TurnContext, profile: WatchedProfile, about: Record<string, unknown>): Promise<void> {
  await ctx.services.policyWatches.watch({ userKey: userKey(ctx.event), platformId: ctx.event.platformId, userId: ctx.event.userId, profile, at: ctx.now });
  ctx.say('policy-watch-saved', about);
}

/** A directory enterprise the user's number is the contact of (a tapped button of an older card may name one no longer theirs). */
async function ownEnterprise(ctx: TurnContext, creditCode: string): Promise<Enterprise | undefined> {
  const enterprise = await ctx.services.directory.get(creditCode);
  return enterprise?.phone === ctx.event.userId ? enterprise : undefined;
}

const offsetArg = (value: string | undefined): number | undefined => {
  const offset = Number(value);
  return Number.isInteger(offset) && offset >= 0 && offset % PAGE === 0 ? offset : undefined;
};

export const policyFlow: Flow = {
  name: 'policy',
  intents: {
    policy_query: start,
  },
  actions: {
    start: noArgs(start),
    scale: action<FinderAnswers>({
      parse: (args, services) => parseAnswers(args, services.vocabulary.finder, 1),
      run(ctx, answers) {
        ctx.say('policy-ask-scale', {
          options: ctx.services.vocabulary.finder.scales.map((option) => ({ label: option.label, action: ctx.action('policy.tags', answers.industry ?? NONE, option.scale) })),
        });
      },
    }),
    tags: action<FinderAnswers>({
      parse: (args, services) => parseAnswers(args, services.vocabulary.finder, 2),
      run(ctx, answers) {
        ctx.say('policy-ask-tags', {
          options: ctx.services.vocabulary.finder.tags.map((option) => ({ label: option.label, action: ctx.action('policy.match', answers.industry ?? NONE, answers.scale ?? NONE, option.tag ?? NONE, 0) })),
        });
      },
    }),
    match: action<{ answers: FinderAnswers; offset: number }>({
      parse(args, services) {
        const answers = parseAnswers(args.slice(0, 3), services.vocabulary.finder, 3);
        const offset = offsetArg(args[3]);
        return answers && offset !== undefined && args.length === 4 ? { answers, offset } : undefined;
      },
      run(ctx, { answers, offset }) {
        showFor(ctx, { answers }, answersProfile(answers, ctx.services.vocabulary.finder), offset);
      },
    }),
    for: action<{ creditCode: string; offset: number }>({
      parse: ([creditCode, offset, ...rest]) => (creditCode && offsetArg(offset) !== undefined && rest.length === 0 ? { creditCode, offset: offsetArg(offset) as number } : undefined),
      async run(ctx, { creditCode, offset }) {
        const enterprise = await ownEnterprise(ctx, creditCode);
        if (!enterprise) return start(ctx);
        showFor(ctx, { enterprise }, profileOf(enterprise), offset);
      },
    }),
    detail: action<Policy>({
      parse: ([id, ...rest], services) => (rest.length === 0 && id !== undefined ? services.policies.get(id) : undefined),
      run: showDetail,
    }),
    watch: action<FinderAnswers>({
      parse: (args, services) => parseAnswers(args, services.vocabulary.finder, 3),
      run: (ctx, answers) => watch(ctx, answers, { profileText: answersText(answers, ctx.services.vocabulary.finder) }),
    }),
    watch_for: action<string>({
      parse: ([creditCode, ...rest]) => (creditCode && rest.length === 0 ? creditCode : undefined),
      async run(ctx, creditCode) {
        const enterprise = await ownEnterprise(ctx, creditCode);
        if (!enterprise) return start(ctx);
        await watch(ctx, { enterprise: enterprise._id }, { enterprise: { name: enterprise.name } });
      },
    }),
  },
};
