using Google.Protobuf.Reflection;

namespace Mesos.Protocol;

/// <summary>The compiled Mesos v1 schema: the three proto files and lookups by full name.</summary>
public static class MesosSchema
{
    /// <summary><c>mesos.proto</c>, <c>executor.proto</c> and <c>scheduler.proto</c>.</summary>
    public static IReadOnlyList<FileDescriptor> Files { get; } =
    [
        Mesos.V1.MesosReflection.Descriptor,
        Mesos.V1.Executor.ExecutorReflection.Descriptor,
        Mesos.V1.Scheduler.SchedulerReflection.Descriptor,
    ];

    private static readonly TypeRegistry Registry = TypeRegistry.FromFiles([.. Files]);

    /// <summary>A message type by its full proto name (<c>mesos.v1.TaskInfo</c>), or null.</summary>
    public static MessageDescriptor? FindMessage(string fullName) => Registry.Find(fullName);

    /// <summary>An enum type by its full proto name (<c>mesos.v1.TaskState</c>), or null.</summary>
    public static EnumDescriptor? FindEnum(string fullName)
    {
        var dot = fullName.LastIndexOf('.');
        if (dot < 0)
        {
            return null;
        }

        var owner = fullName[..dot];
        var name = fullName[(dot + 1)..];
        var message = Registry.Find(owner);
        if (message is not null)
        {
            return message.EnumTypes.FirstOrDefault(e => e.Name == name);
        }

        return Files.SelectMany(f => f.EnumTypes).FirstOrDefault(e => e.FullName == fullName);
    }
}
