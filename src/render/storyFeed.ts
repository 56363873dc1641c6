import type { Story } from '../model.js';
import type { SourceInfo } from '../sources/registry.js';
import type { FeedItem, ItemStory } from './feedView.js';
import { readerTime } from './htmlPage.js';
import { serializedUrl, xmlAttr as attr, xmlText as text } from './xml.js';

/**
 * `/stories/`: one entry per story reported by two or more outlets (issue #15), newest first by
 * its latest member. An entry is named after the story's first report, dated by its latest, and
 * its content links every member with its outlet.
 */

/** The source id a story entry states: feeds name its outlets in the content, not as one author. */
export const STORIES_SOURCE = 'stories';

export function storyEntryId(storyId: string): string {
  return `story:${storyId}`;
}

/** An item's story with the item itself left out: what its `related` lists. */
export function itemStory(story: Story, itemId: string): ItemStory {
  return {
    id: story.id,
    related: story.members.filter((m) => m.id !== itemId).map(({ id, url, title, source }) => ({ id, url, title, source })),
  };
}

function memberList(story: Story, describe: (id: string) => SourceInfo): string {
  const items = story.members.map((m) => {
    const outlet = describe(m.source);
    return `<li><a href="${attr(serializedUrl(m.url))}">${text(m.title)}</a>（${text(outlet.title)}，${text(readerTime(m.published))}）</li>`;
  });
  return `<ul>${items.join('')}</ul>`;
}

/** The feed entry of a story; `story` names every member as related. */
export function storyItem(story: Story, describe: (id: string) => SourceInfo): FeedItem {
  const first = story.members[0]!;
  const latest = story.latest;
  const outlets = [...new Set(story.members.map((m) => describe(m.source).title))];
  return {
    id: storyEntryId(story.id),
    url: first.url,
    canonicalUrl: first.url,
    title: first.title,
    published: latest,
    archived: latest,
    modified: latest,
    source: STORIES_SOURCE,
    language: first.language,
    summary: `${outlets.join('、')}报道了同一事件，共 ${story.size} 篇`,
    contentHtml: memberList(story, describe),
    story: itemStory(story, ''),
  };
}
