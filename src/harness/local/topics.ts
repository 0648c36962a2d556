import type { Admin } from 'kafkajs';

/** Creates the topics that do not exist yet (existing ones are left as they are). */
export async function ensureTopics(admin: Admin, topics: Iterable<string>, numPartitions = 3): Promise<string[]> {
  const existing = new Set(await admin.listTopics());
  const missing = [...new Set(topics)].filter((topic) => !existing.has(topic));
  if (missing.length > 0) await admin.createTopics({ topics: missing.map((topic) => ({ topic, numPartitions })), waitForLeaders: true });
  return missing;
}

/**
 * `admin.fetchTopicOffsets`, retried briefly on retriable errors: right after a
 * topic is created the client's metadata can lag (NOT_LEADER_FOR_PARTITION).
 */
export async function fetchTopicOffsets(admin: Admin, topic: string): ReturnType<Admin['fetchTopicOffsets']> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      if (!(error as { retriable?: boolean }).retriable || attempt >= 30) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The sum of a topic's high watermarks: how many records it holds (on a topic nothing deletes from). */
export async function topicRecordCount(admin: Admin, topic: string): Promise<number> {
  const offsets = await fetchTopicOffsets(admin, topic);
  return offsets.reduce((sum, partition) => sum + Number(partition.high) - Number(partition.low), 0);
}
