using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Konui.Core.Kontasks;

namespace Konui.Blazor.Mcp;

/// <summary>A clickable answer under a kontask, as the tools take it.</summary>
public sealed class KontaskChoiceArgument
{
    [Description("The button text, a few words."), MaxLength(KontaskLimits.ShortTextChars)]
    public required string Label { get; set; }

    [Description("The prompt sent when the button is clicked."), MaxLength(KontaskLimits.ChoiceValueChars)]
    public required string Value { get; set; }

    [Description("True for the recommended choice; it is emphasized.")]
    public bool Primary { get; set; }

    public KontaskChoice ToChoice() => new() { Label = Label, Value = Value, Primary = Primary };
}
