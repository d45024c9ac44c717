// "hello" prints and exits (start-up baseline); "idle" prints and waits to be killed (resident memory baseline).
Console.WriteLine("hello");
if (args is ["idle"])
{
    await Task.Delay(Timeout.Infinite);
}
