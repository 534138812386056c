using MudBlazor;

namespace Konui.Blazor.Components.Layout;

/// <summary>Konui's one theme: dark and dense, in the kontask cards' palette (#1e1e1e page, #2d2d2d panels).</summary>
public static class KonuiTheme
{
    public static readonly MudTheme Dark = new()
    {
        PaletteDark = new PaletteDark
        {
            Background = "#1e1e1e",
            BackgroundGray = "#252526",
            Surface = "#2d2d2d",
            AppbarBackground = "#252526",
            AppbarText = "#e0e0e0",
            DrawerBackground = "#252526",
            DrawerText = "#c8c8c8",
            DrawerIcon = "#9d9d9d",
            Primary = "#3794ff",
            Secondary = "#4fc3f7",
            Info = "#4fc3f7",
            Success = "#4caf50",
            Warning = "#ffb74d",
            Error = "#ef5350",
            Dark = "#3a3a3a",
            TextPrimary = "#e0e0e0",
            TextSecondary = "#9d9d9d",
            TextDisabled = "#6b6b6b",
            ActionDefault = "#b0b0b0",
            ActionDisabled = "#6b6b6b",
            ActionDisabledBackground = "#333333",
            LinesDefault = "#3c3c3c",
            LinesInputs = "#4a4a4a",
            TableLines = "#3c3c3c",
            TableStriped = "#262626",
            Divider = "#3c3c3c",
            DividerLight = "#333333",
            Skeleton = "#333333",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"],
                FontSize = "0.875rem",
                LineHeight = "1.45",
            },
            Button = new ButtonTypography { FontSize = "0.8rem", FontWeight = "600", TextTransform = "none", LetterSpacing = "0.01em" },
        },
        LayoutProperties = new LayoutProperties
        {
            DefaultBorderRadius = "6px",
            AppbarHeight = "48px",
            DrawerWidthLeft = "196px",
        },
    };
}
