using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Google.Protobuf;
using Mesos.Protocol.Encoding;
using Mesos.Protocol.RecordIO;

namespace Mesos.Protocol.Http;

/// <summary>
/// The open answer to a SUBSCRIBE: its headers (<c>Mesos-Stream-Id</c> for schedulers) and the events as they arrive.
/// Disposing closes the connection.
/// </summary>
public sealed class MesosEventStream<TEvent> : IAsyncDisposable
    where TEvent : IMessage<TEvent>, new()
{
    /// <summary>The header a master puts on its SUBSCRIBE answer and wants back on every later call.</summary>
    public const string StreamIdHeader = "Mesos-Stream-Id";

    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly MesosEncoding _encoding;
    private readonly RecordIOOptions _recordIO;
    private int _reading;

    internal MesosEventStream(HttpResponseMessage response, Stream body, MesosEncoding encoding, RecordIOOptions recordIO)
    {
        _response = response;
        _body = body;
        _encoding = encoding;
        _recordIO = recordIO;
        StreamId = response.Headers.TryGetValues(StreamIdHeader, out var values) ? values.FirstOrDefault() : null;
    }

    public HttpStatusCode StatusCode => _response.StatusCode;

    public HttpResponseHeaders Headers => _response.Headers;

    /// <summary>The <c>Mesos-Stream-Id</c> header, when the server sent one.</summary>
    public string? StreamId { get; }

    /// <summary>
    /// The events, each yielded as soon as its last byte arrives; ends when the server closes the stream cleanly.
    /// Can be enumerated once.
    /// </summary>
    /// <exception cref="RecordIOException">The stream was malformed or broke inside an event.</exception>
    /// <exception cref="MesosDecodeException">An event could not be decoded.</exception>
    /// <exception cref="MesosConnectionException">The connection broke.</exception>
    public async IAsyncEnumerable<TEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("The events of a Mesos stream can be read only once");
        }

        var encoding = _encoding;
        await using var reader = RecordIOReader.Create(_body, _recordIO);
        var events = reader.ReadAllAsync((in ReadOnlySequence<byte> record) => MesosCodec.Decode<TEvent>(record, encoding), cancellationToken);
        await using var enumerator = events.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            try
            {
                if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    yield break;
                }
            }
            catch (IOException ex) when (ex is not MesosConnectionException)
            {
                throw new MesosConnectionException(_response.RequestMessage?.RequestUri ?? new Uri("unknown:"), "Reading the event stream", ex);
            }
            catch (HttpRequestException ex)
            {
                throw new MesosConnectionException(_response.RequestMessage?.RequestUri ?? new Uri("unknown:"), "Reading the event stream", ex);
            }

            yield return enumerator.Current;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _body.DisposeAsync().ConfigureAwait(false);
        _response.Dispose();
    }
}
