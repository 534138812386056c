namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>Plain answers for the scripted model: words with no markdown in them, so the page shows them as they are.</summary>
public static class Words
{
    /// <summary>"word1 word2 ... wordN": each piece of the answer is different, so a missing or repeated piece shows.</summary>
    public static string Numbered(string word, int count) => string.Join(' ', Enumerable.Range(1, count).Select(i => $"{word}{i}"));
}
