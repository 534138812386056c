using System.Text.Json.Serialization;

namespace Konui.Blazor.Mcp;

/// <summary>
/// The konui_* tools' parameter types, described when Konui builds: the MCP SDK makes each tool's input schema and
/// argument reader from these instead of reflecting over the types while Konui starts.
/// </summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(List<KontaskChoiceArgument>))]
[JsonSerializable(typeof(KontaskContextArgument))]
internal sealed partial class KontaskToolsJsonContext : JsonSerializerContext;
