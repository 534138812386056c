using System.Text.Json;
using Bunit;
using Konui.Blazor.Components.Pages.Dashboard;
using Konui.Blazor.Components.Review;
using Konui.Core.Transcripts;
using Konui.Core.Turns;
using Microsoft.AspNetCore.Components;

namespace Konui.Blazor.Tests.Review;

/// <summary>
/// A tool call is drawn again only when what it shows changed. On a real circuit the browser says it has a render
/// some time after it went out, and an edit's result (its diff with the file's lines around it) can come in between:
/// the call must still be drawn with it.
/// </summary>
public sealed class DrawnOnChangeTests : KonuiComponentTest
{
    private static List<string> DiffLines(IRenderedComponent<ToolCallView> view) =>
        view.FindAll("tr.diff-line").Select(row => row.QuerySelector(".diff-mark")!.TextContent + row.QuerySelector(".diff-text")!.TextContent).ToList();

    [Fact]
    public async Task An_edit_s_result_that_comes_before_the_browser_acknowledged_the_first_render_is_still_drawn()
    {
        var transcript = new Transcript();
        transcript.Apply("t1", new TurnStart("t1", "s1", "req-t1", "Widen the greeting", 0) { Seq = 1, At = Now });
        using var input = JsonDocument.Parse("""{"file_path":"/srv/greeter/hello.txt","old_string":"world","new_string":"wide world"}""");
        transcript.Apply("t1", new AssistantBlock("m1", 0, "tool_use", null, "toolu_1", "Edit", input.RootElement.Clone(), "claude-test", null, false) { Seq = 2, At = Now });
        var call = transcript.Find("t1")!.FindCall("toolu_1")!;
        var view = Render<ToolCallView>(p => p.Add(v => v.Call, call).Add(v => v.TurnId, "t1"));
        Assert.Equal(["-world", "+wide world"], DiffLines(view));

        using var result = JsonDocument.Parse("""
            {"filePath":"/srv/greeter/hello.txt","structuredPatch":[{"oldStart":1,"oldLines":2,"newStart":1,"newLines":2,"lines":[" Hello","-world","+wide world"]}]}
            """);
        await view.InvokeAsync(async () =>
        {
            transcript.Apply("t1", new ToolResult("toolu_1", "The file /srv/greeter/hello.txt has been updated.", false, result.RootElement.Clone()) { Seq = 3, At = Now });
            foreach (var drawn in new IHandleAfterRender[] { view.Instance, view.FindComponent<ToolReviewView>().Instance }) await drawn.OnAfterRenderAsync();
        });
        view.Render();

        Assert.Equal([" Hello", "-world", "+wide world"], DiffLines(view));
    }
}
