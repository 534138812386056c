using Bunit;
using Konui.Blazor.Components.Pages.Dashboard;
using Konui.Core.Konsole;
using Konui.Core.Turns;
using DashboardPage = Konui.Blazor.Components.Pages.Dashboard.Dashboard;

namespace Konui.Blazor.Tests.Dashboard;

/// <summary>The prompt box: when Send can be used, images pasted or dropped into it, and a prompt konsole refuses.</summary>
public sealed class PromptBoxTests : DashboardTest
{
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";
    private const string Jpeg = "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAP//";

    private IRenderedComponent<DashboardPage> OpenNewSession()
    {
        var page = OpenDashboard("?new=true");
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        return page;
    }

    private static bool SendDisabled(IRenderedComponent<DashboardPage> page) => page.Find("button.prompt-send").HasAttribute("disabled");

    private static string Reason(IRenderedComponent<DashboardPage> page) => page.Find(".prompt-reason").TextContent;

    [Fact]
    public void Send_is_disabled_while_the_box_is_empty_and_enabled_once_something_is_typed()
    {
        var page = OpenNewSession();
        Assert.True(SendDisabled(page));

        page.Find("textarea.prompt-text").Input("   ");
        Assert.True(SendDisabled(page));

        page.Find("textarea.prompt-text").Input("Why does the build fail?");
        Assert.False(SendDisabled(page));
        Assert.Equal("", Reason(page));
    }

    [Fact]
    public void While_a_turn_runs_send_becomes_queue_with_the_reason_and_send_again_when_it_ends()
    {
        var page = OpenDashboard();
        page.WaitForAssertion(() => page.Find(".transcript-empty"));
        page.Find("textarea.prompt-text").Input("And now the tests");

        Publish("t1", new TurnStart("t1", SessionId, "req-t1", "Fix the build", 0) { Seq = 1, At = Now });

        page.WaitForAssertion(() => Assert.Equal("Queue", page.Find("button.prompt-send").TextContent.Trim()));
        Assert.False(SendDisabled(page));
        Assert.Equal("Claude is working: what you send now waits in the queue. Esc stops the turn.", Reason(page));

        Publish("t1", new TurnEnd(true, null, null) { Seq = 2, At = Now });

        page.WaitForAssertion(() => Assert.Equal("Send", page.Find("button.prompt-send").TextContent.Trim()));
        Assert.False(SendDisabled(page));
        Assert.Equal("", Reason(page));
    }

    [Fact]
    public void Sending_starts_a_turn_with_the_text_clears_the_box_and_opens_the_new_session()
    {
        var page = OpenNewSession();
        page.Find("textarea.prompt-text").Input("Why does the build fail?");

        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Equal(("Why does the build fail?", null, true), Konsole.Started.Select(t => (t.Prompt, t.SessionId, t.Queue)).Single()));
        page.WaitForAssertion(() => Assert.Equal("http://localhost/?session=session-new", Navigation.Uri));
        // The box is cleared once the send has returned, after the page moved to the new session.
        page.WaitForAssertion(() => Assert.Equal("", page.Find("textarea.prompt-text").GetAttribute("value")));
        Assert.True(SendDisabled(page));
    }

    [Fact]
    public async Task Images_show_as_thumbnails_that_can_be_removed_and_are_sent_with_the_prompt()
    {
        var page = OpenNewSession();
        var box = page.FindComponent<PromptBox>();

        await page.InvokeAsync(() => box.Instance.AddImage("screenshot.png", "image/png", Png));
        await page.InvokeAsync(() => box.Instance.AddImage("photo.jpg", "image/jpeg", Jpeg));

        Assert.Equal(["screenshot.png", "photo.jpg"], page.FindAll(".prompt-images img").Select(i => i.GetAttribute("alt")));
        Assert.Equal("data:image/png;base64," + Png, page.Find(".prompt-images img").GetAttribute("src"));
        Assert.Equal(["Remove screenshot.png", "Remove photo.jpg"], page.FindAll(".prompt-image-remove").Select(b => b.GetAttribute("aria-label")));

        page.Find(".prompt-image-remove[aria-label='Remove photo.jpg']").Click();
        Assert.Equal(["screenshot.png"], page.FindAll(".prompt-images img").Select(i => i.GetAttribute("alt")));

        page.Find("textarea.prompt-text").Input("What is wrong on this screen?");
        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Single(Konsole.Started));
        var started = Konsole.Started.Single();
        Assert.Equal("What is wrong on this screen?", started.Prompt);
        Assert.Equal([new TurnImage("image/png", Png)], started.Images!);
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".prompt-images img")));
    }

    [Fact]
    public async Task A_prompt_konsole_refuses_shows_why_and_stays_in_the_box_with_its_images()
    {
        Konsole.Busy = "A turn is already running in this session.";
        var page = OpenNewSession();
        var box = page.FindComponent<PromptBox>();
        await page.InvokeAsync(() => box.Instance.AddImage("screenshot.png", "image/png", Png));
        page.Find("textarea.prompt-text").Input("Run the tests again");

        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Equal("A turn is already running in this session.", page.Find(".console-error").TextContent));
        Assert.Equal("Run the tests again", page.Find("textarea.prompt-text").GetAttribute("value"));
        Assert.Equal(["screenshot.png"], page.FindAll(".prompt-images img").Select(i => i.GetAttribute("alt")));
        Assert.Empty(Konsole.Started);
        // The error shows while the send is still on its way back; then Send is enabled again.
        page.WaitForAssertion(() => Assert.False(SendDisabled(page)));
        Assert.Equal("http://localhost/?new=true", Navigation.Uri);

        page.Find("button.prompt-send").Click();

        page.WaitForAssertion(() => Assert.Equal("Run the tests again", page.Find("textarea.prompt-text").GetAttribute("value")));
        Assert.Equal("A turn is already running in this session.", page.Find(".console-error").TextContent);
        Assert.Empty(Konsole.Started);
    }
}
