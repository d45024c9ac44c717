namespace Mesos.Executor.Runner.Tasks;

/// <summary>TaskInfo.data cannot be understood; the message says what is wrong and where (a JSON path). Maps to TASK_ERROR.</summary>
internal sealed class TaskPayloadException : Exception
{
    public TaskPayloadException()
    {
    }

    public TaskPayloadException(string message)
        : base(message)
    {
    }

    public TaskPayloadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
