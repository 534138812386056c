using Konui.Core;
using Konui.Core.Konsole;
using Microsoft.Extensions.Logging;

namespace Konsole;

/// <summary>
/// A session's prompts waiting behind its running turn, in order, kept in its <see cref="SessionLog"/> so a konsole
/// restart loses none. Konsole takes them one by one as turns end; until then each can be edited or removed.
/// </summary>
internal sealed class PromptQueue(SessionLog log, TimeProvider time, ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly List<PromptQueuedRecord> _waiting = [];

    public int Count
    {
        get { lock (_gate) return _waiting.Count; }
    }

    public IReadOnlyList<QueuedPrompt> Items
    {
        get { lock (_gate) return _waiting.Select(w => w.Prompt).ToList(); }
    }

    public void Replay(SessionRecord record)
    {
        lock (_gate)
        {
            switch (record)
            {
                case PromptQueuedRecord queued:
                    _waiting.Add(queued);
                    break;
                case QueuedEdited edited when _waiting.FindIndex(w => w.Prompt.QueuedId == edited.QueuedId) is var at and >= 0:
                    _waiting[at] = _waiting[at] with { Prompt = _waiting[at].Prompt with { Prompt = edited.Prompt } };
                    break;
                case QueuedLeft left:
                    _waiting.RemoveAll(w => w.Prompt.QueuedId == left.QueuedId);
                    break;
            }
        }
    }

    public QueuedPrompt Enqueue(string sessionId, string requestId, string prompt, IReadOnlyList<TurnImage> images)
    {
        var record = new PromptQueuedRecord(new QueuedPrompt(Ids.Queued(time), sessionId, requestId, prompt, images.Count, time.GetUtcNow()), images)
        {
            At = time.GetUtcNow(),
        };
        lock (_gate) _waiting.Add(record);
        log.Append(record, logger);
        return record.Prompt;
    }

    /// <summary>Gives a waiting prompt new text; null when it is not waiting (any more).</summary>
    public QueuedPrompt? Edit(string queuedId, string prompt)
    {
        QueuedPrompt edited;
        lock (_gate)
        {
            var at = _waiting.FindIndex(w => w.Prompt.QueuedId == queuedId);
            if (at < 0) return null;
            _waiting[at] = _waiting[at] with { Prompt = _waiting[at].Prompt with { Prompt = prompt } };
            edited = _waiting[at].Prompt;
        }
        log.Append(new QueuedEdited(queuedId, prompt) { At = time.GetUtcNow() }, logger);
        return edited;
    }

    /// <summary>Takes a waiting prompt out of the queue; false when it is not waiting (any more).</summary>
    public bool Remove(string queuedId)
    {
        lock (_gate)
        {
            if (_waiting.RemoveAll(w => w.Prompt.QueuedId == queuedId) == 0) return false;
        }
        log.Append(new QueuedLeft(queuedId, null) { At = time.GetUtcNow() }, logger);
        return true;
    }

    /// <summary>The first waiting prompt with its images, taken out of the queue; null when none waits.</summary>
    public PromptQueuedRecord? TakeNext()
    {
        lock (_gate)
        {
            if (_waiting.Count == 0) return null;
            var next = _waiting[0];
            _waiting.RemoveAt(0);
            return next;
        }
    }

    /// <summary>Records that a taken prompt started as <paramref name="turnId"/>.</summary>
    public void Started(string queuedId, string turnId) => log.Append(new QueuedLeft(queuedId, turnId) { At = time.GetUtcNow() }, logger);
}
