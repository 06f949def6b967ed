; Inno Setup 6 script for Rotation Desk: a per-user install, no administrator rights.
;
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\rotation-desk.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\rotation-desk.iss
;
; Input:  dist\rotation-desk\  (rotation-desk.exe windowed, rotation-desk-cli.exe console, _internal\)
; Output: dist\rotation-desk-<version>-setup.exe
; Installs into %LOCALAPPDATA%\Programs\Rotation Desk with a Start-menu entry and
; an uninstaller (Settings > Apps). User data (prices, plans, settings, logs)
; lives in %LOCALAPPDATA%\rotation-desk and is kept on uninstall.
; Silent install for scripts: rotation-desk-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\rotation-desk.iss
#endif
#define AppName "Rotation Desk"
#define AppExe "rotation-desk.exe"
#define RepoRoot AddBackslash(SourcePath) + "..\.."

[Setup]
AppId={{4173BF4E-7353-43E1-99B9-1346BB5C1F55}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Rotation Desk engineers
AppComments=Track the small-cap, value and international rotation; compare ETFs; plan a DCA schedule.
DefaultDirName={localappdata}\Programs\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#RepoRoot}\dist
OutputBaseFilename=rotation-desk-{#AppVersion}-setup
SetupIconFile={#RepoRoot}\resources\icons\rotation-desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#RepoRoot}\dist\rotation-desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Track the market rotation and plan DCA"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
