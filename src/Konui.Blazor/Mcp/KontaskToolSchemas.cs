using System.Text.Json;

namespace Konui.Blazor.Mcp;

/// <summary>The input schemas of the kontask tools, written for the model that calls them.</summary>
internal static class KontaskToolSchemas
{
    private const string ChoicesSchema = """
        {
          "type": "array",
          "maxItems": 20,
          "description": "Clickable answers shown as buttons under the card (at most 20). A click sends the choice's value as the user's next prompt, so write the value as the instruction you want to receive.",
          "items": {
            "type": "object",
            "properties": {
              "label": { "type": "string", "description": "The button text, a few words." },
              "value": { "type": "string", "description": "The prompt sent when the button is clicked." },
              "primary": { "type": "boolean", "description": "True for the recommended choice; it is emphasized." }
            },
            "required": ["label", "value"]
          }
        }
        """;

    private const string OutputSchema = """
        {
          "type": "string",
          "description": "ALL of the card's content as one self-contained HTML fragment (at most 2 MB): headings, tables, code, findings. It renders in a sandboxed iframe with a dark background (#2d2d2d). Inline <style> and <script> work; external requests may not. For diagrams put <div id=\"d1\"></div> and then <script>renderMermaidDiagram('d1', 'graph TD; A-->B')</script>."
        }
        """;

    public static readonly JsonElement Create = Parse($$"""
        {
          "type": "object",
          "properties": {
            "title": { "type": "string", "description": "A short headline for the card (required)." },
            "description": { "type": "string", "description": "One or two sentences that say what the card is about." },
            "type": { "type": "string", "description": "What kind of card this is, e.g. report, question, plan, result, error." },
            "status": { "type": "string", "description": "The card's state, e.g. ready, pending, in_progress, completed, failed. Default: ready." },
            "scope": { "type": "string", "description": "The project or area the card belongs to." },
            "tags": { "type": "array", "items": { "type": "string" }, "description": "Keywords to find the card by." },
            "targetUser": { "type": "string", "description": "Who the card is for, when not the current user." },
            "requestId": { "type": "string", "description": "The requestId of the current turn, as given in your system prompt. Always pass it: it links the card to the conversation." },
            "context": {
              "type": "object",
              "description": "The card's content.",
              "properties": {
                "output": {{OutputSchema}},
                "choices": {{ChoicesSchema}},
                "requestId": { "type": "string", "description": "Same as the top-level requestId." },
                "requestedAt": { "type": "string", "format": "date-time", "description": "When the user asked, ISO 8601." }
              }
            }
          },
          "required": ["title"]
        }
        """);

    public static readonly JsonElement Update = Parse($$"""
        {
          "type": "object",
          "properties": {
            "id": { "type": "string", "description": "The id of the kontask to change, as returned by konui_create_task or konui_list_tasks." },
            "title": { "type": "string", "description": "A new headline." },
            "description": { "type": "string", "description": "A new description." },
            "type": { "type": "string", "description": "A new kind." },
            "status": { "type": "string", "description": "A new state, e.g. in_progress, completed, failed." },
            "scope": { "type": "string", "description": "A new scope." },
            "tags": { "type": "array", "items": { "type": "string" }, "description": "The new tags; replaces the old ones." },
            "targetUser": { "type": "string", "description": "A new target user." },
            "output": {{OutputSchema}},
            "choices": {{ChoicesSchema}}
          },
          "required": ["id"]
        }
        """);

    public static readonly JsonElement Get = Parse("""
        {
          "type": "object",
          "properties": {
            "id": { "type": "string", "description": "The kontask's id." }
          },
          "required": ["id"]
        }
        """);

    public static readonly JsonElement List = Parse("""
        {
          "type": "object",
          "properties": {
            "status": { "type": "string", "description": "Only kontasks with this status." },
            "scope": { "type": "string", "description": "Only kontasks in this scope." },
            "tag": { "type": "string", "description": "Only kontasks with this tag." },
            "requestId": { "type": "string", "description": "Only kontasks made in the turn with this requestId." },
            "limit": { "type": "integer", "minimum": 1, "maximum": 200, "description": "How many to return, newest first. Default 20." }
          }
        }
        """);

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
