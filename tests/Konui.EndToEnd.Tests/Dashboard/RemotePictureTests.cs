using Konui.Testing;
using OpenQA.Selenium;

namespace Konui.EndToEnd.Tests.Dashboard;

/// <summary>
/// A picture in Claude's answer from another host shows only when the reader asks for it, and its host learns
/// nothing of the dashboard (no referrer): a picture the model points at would otherwise report who reads the answer.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class RemotePictureTests
{
    private readonly DashboardFixture _konui;
    private readonly DashboardPage _page;

    public RemotePictureTests(DashboardFixture konui)
    {
        _konui = konui;
        konui.ResetTabs();
        _page = new DashboardPage(konui.Browser, konui.BaseUrl);
    }

    [Fact]
    public async Task A_remote_picture_in_the_answer_loads_only_after_a_click_and_without_a_referrer()
    {
        await using var elsewhere = await OtherSite.StartAsync();
        _konui.Konui.Model.SetScript(_ => ModelReply.Text($"Here is the nightly chart:\n\n![nightly chart]({elsewhere.BaseUrl}/chart.png)\n\nAll green."));
        await _page.OpenNewSessionAsync();

        var turnId = await _page.SendAsync("Show me the nightly chart");
        await _page.WaitForEndAsync(turnId);

        var button = _konui.Browser.Driver.FindElement(By.CssSelector(".assistant-text button.konui-remote-image"));
        Assert.Contains("Picture from 127.0.0.1: nightly chart", button.Text, StringComparison.Ordinal);
        Assert.Empty(_konui.Browser.Driver.FindElements(By.CssSelector(".assistant-text img")));
        Assert.Empty(elsewhere.Requests);

        button.Click();

        var loaded = await Browser.WaitForAsync(() => elsewhere.Requests.FirstOrDefault(), DashboardPage.TurnLimit, "the picture to load after the click");
        Assert.Equal("/chart.png", loaded.PathAndQuery);
        Assert.Equal("", loaded.Referer);
        await Browser.WaitForAsync(
            () => _konui.Browser.Run("return document.querySelector('.assistant-text img')?.naturalWidth ?? 0;") is long and > 0 ? "shown" : null,
            DashboardPage.TurnLimit, "the picture in the answer");
        Assert.Single(elsewhere.Requests);
    }
}
