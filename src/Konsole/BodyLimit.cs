using Microsoft.AspNetCore.Http.Features;

namespace Konsole;

/// <summary>
/// A body over the request's size limit on /mcp or /api gets 413 and a message naming the limit, not a reset
/// connection. Kestrel stops reading at the limit and closes the connection while the client is still sending, so
/// the client never reads the answer. Here the limit (Kestrel's, or whatever the endpoint sets) is kept by the body
/// stream instead; when a reader goes over it, the rest of the body (up to <see cref="DrainAtMost"/>) is read and
/// dropped, and then the 413 goes out, unless the endpoint has already answered.
/// </summary>
public sealed class BodyLimit(RequestDelegate next, ILogger<BodyLimit> logger)
{
    private const long DrainAtMost = 256L * 1024 * 1024;
    private static readonly TimeSpan DrainFor = TimeSpan.FromSeconds(30);

    public async Task InvokeAsync(HttpContext http)
    {
        var server = http.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (!Applies(http) || server is not { IsReadOnly: false })
        {
            await next(http);
            return;
        }
        var original = http.Request.Body;
        var body = new LimitedBody(original, server.MaxRequestBodySize, http.Request.ContentLength);
        server.MaxRequestBodySize = null;
        http.Features.Set<IHttpMaxRequestBodySizeFeature>(body);
        http.Request.Body = body;
        try
        {
            await next(http);
        }
        catch (BadHttpRequestException) when (body.Exceeded)
        {
            // The endpoint let the 413 escape; it is answered below.
        }
        finally
        {
            http.Request.Body = original;
        }
        if (!body.Exceeded) return;

        var error = $"The request body is over the limit of {Megabytes(body.MaxRequestBodySize!.Value)} for {http.Request.Path}.";
        logger.LogWarning("{Error}", error);
        var drained = await DrainAsync(original, http);
        if (http.Response.HasStarted) return;
        http.Response.Clear();
        if (!drained) http.Response.Headers.Connection = "close";
        http.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        await http.Response.WriteAsJsonAsync(new { error });
    }

    private static bool Applies(HttpContext http) =>
        http.Features.Get<IHttpRequestBodyDetectionFeature>() is { CanHaveBody: true }
        && (http.Request.Path.StartsWithSegments("/mcp", StringComparison.OrdinalIgnoreCase)
            || http.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads the rest of the body so the client finishes sending and reads the answer; false if it is too much.</summary>
    private static async Task<bool> DrainAsync(Stream body, HttpContext http)
    {
        if (http.Request.ContentLength > DrainAtMost) return false;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        timeout.CancelAfter(DrainFor);
        var buffer = new byte[64 * 1024];
        long total = 0;
        try
        {
            while (total <= DrainAtMost)
            {
                var read = await body.ReadAsync(buffer, timeout.Token);
                if (read == 0) return true;
                total += read;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or BadHttpRequestException)
        {
        }
        return false;
    }

    private static string Megabytes(long bytes) => $"{bytes / 1_000_000.0:0.#} MB";

    /// <summary>The request body, holding the size limit that Kestrel would otherwise hold (and setting it as Kestrel's does).</summary>
    private sealed class LimitedBody(Stream inner, long? limit, long? contentLength) : Stream, IHttpMaxRequestBodySizeFeature
    {
        private long _read;
        private bool _started;

        public bool Exceeded { get; private set; }

        public bool IsReadOnly => _started;

        public long? MaxRequestBodySize
        {
            get => limit;
            set
            {
                if (_started) throw new InvalidOperationException("The request body size limit cannot change once the body is being read.");
                limit = value;
            }
        }

        public override int Read(byte[] buffer, int offset, int count) => Counted(inner.Read(buffer, offset, Check(count)));

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            Counted(await inner.ReadAsync(buffer[..Check(buffer.Length)], cancellationToken));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        private int Check(int count)
        {
            _started = true;
            if (Exceeded || contentLength > limit) Exceed();
            return count;
        }

        private int Counted(int read)
        {
            _read += read;
            if (_read > limit) Exceed();
            return read;
        }

        private void Exceed()
        {
            Exceeded = true;
            throw new BadHttpRequestException($"Request body too large. The max request body size is {limit} bytes.", StatusCodes.Status413PayloadTooLarge);
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
