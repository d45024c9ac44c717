namespace Mesos.Protocol.Encoding;

/// <summary>Bytes that could not be decoded into a Mesos message; the message names the type and the problem.</summary>
public sealed class MesosDecodeException : FormatException
{
    public MesosDecodeException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
