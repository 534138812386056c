using System.Text.Json.Serialization;

namespace Konui.Core.Kontasks;

[JsonSerializable(typeof(Kontask))]
[JsonSerializable(typeof(KontaskIndexEntry))]
internal sealed partial class KontaskJsonContext : JsonSerializerContext;
