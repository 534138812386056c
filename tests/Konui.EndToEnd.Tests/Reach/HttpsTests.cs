using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Konui.EndToEnd.Tests.Dashboard;
using Konui.Testing;

namespace Konui.EndToEnd.Tests.Reach;

/// <summary>
/// Konui over https with its access token, configured as the README says (Urls with an https address, Kestrel's default
/// certificate as PEM files): the sign-in cookie is Secure, the pages and the Blazor hub work over TLS, the page is a
/// secure context (so a phone can take push), and a turn runs from the browser.
/// </summary>
public sealed class HttpsTests
{
    private const string Token = "https-test-token-4f1c";

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Konui_serves_its_pages_and_hub_over_https_with_a_certificate_and_its_access_token()
    {
        var folder = Directory.CreateTempSubdirectory("konui-https-");
        try
        {
            using var certificate = MakeCertificate();
            var (certPath, keyPath) = (Path.Combine(folder.FullName, "konui.crt"), Path.Combine(folder.FullName, "konui.key"));
            await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, certificate.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem());
            File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            await using var rig = await KonuiWithClaude.StartAsync(accessToken: Token, https: true, settings: new Dictionary<string, string>
            {
                ["Kestrel__Certificates__Default__Path"] = certPath,
                ["Kestrel__Certificates__Default__KeyPath"] = keyPath,
            });
            var https = rig.Konui.HttpsUrl;

            // Plain HTTP clients: only the test's certificate is trusted.
            using var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                UseCookies = true,
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var http = new HttpClient(handler) { BaseAddress = new Uri(https) };
            using (var refused = await http.GetAsync("/"))
            {
                Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
                Assert.StartsWith("/signin", refused.Headers.Location?.OriginalString, StringComparison.Ordinal);
            }
            using (var signIn = await http.PostAsync("/signin", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = Token, ["returnUrl"] = "/" })))
            {
                Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
                var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"));
                Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
                Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
            }
            Assert.Contains("<title>Dashboard · Konui</title>", System.Net.WebUtility.HtmlDecode(await http.GetStringAsync("/")), StringComparison.Ordinal);
            using (var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1"))
            {
                negotiate.Headers.Add("Origin", https);
                using var negotiated = await http.SendAsync(negotiate);
                Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
                Assert.Contains("connectionToken", await negotiated.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }

            // A browser that trusts the certificate (by its public key) signs in and drives a turn over the hub.
            var spki = Convert.ToBase64String(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
            using var browser = await Task.Run(() => Browser.Start($"--ignore-certificate-errors-spki-list={spki}"));
            browser.Driver.Navigate().GoToUrl(https + "/signin");
            browser.Driver.FindElement(OpenQA.Selenium.By.Id("token")).SendKeys(Token);
            browser.Driver.FindElement(OpenQA.Selenium.By.CssSelector("button[type=submit]")).Click();
            var page = new DashboardPage(browser, https);
            await page.WaitForLiveAsync();
            await Browser.WaitForAsync(() => page.Connection == "connected" ? "connected" : null, Browser.PageTimeout, "the hub over TLS");
            Assert.Equal("https:", browser.Run("return location.protocol;"));
            Assert.True(browser.Run("return window.isSecureContext;") is true);
            rig.Model.SetScript(_ => ModelReply.Text("Over TLS."));
            var turn = await page.SendAsync("Are we encrypted?");
            Assert.Equal("Over TLS.", (await page.WaitForEndAsync(turn)).Answer);
            var worker = browser.Driver.ExecuteAsyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.serviceWorker.ready.then(r => done(r.active ? r.scope : null), () => done(null));
                """) as string;
            Assert.Equal(https + "/", worker);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>A self-signed certificate for 127.0.0.1 and localhost, valid for a day.</summary>
    private static X509Certificate2 MakeCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=konui-test", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
    }
}
