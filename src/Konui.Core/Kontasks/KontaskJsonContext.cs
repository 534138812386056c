using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

[JsonSerializable(typeof(Kontask))]
internal sealed partial class KontaskJsonContext : JsonSerializerContext;
